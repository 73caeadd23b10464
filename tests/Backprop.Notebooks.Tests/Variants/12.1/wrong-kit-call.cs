    // Kit call: LayerStatistics.DeadUnitFraction — the kit counts the dead units instead of the student.
    return (int)Math.Round(LayerStatistics.DeadUnitFraction(Activation.ReLU, A) * A.ColumnCount);
