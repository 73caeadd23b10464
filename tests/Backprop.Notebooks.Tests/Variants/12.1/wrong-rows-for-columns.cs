    return Enumerable.Range(0, A.RowCount).Count(n => A.Row(n).All(v => v <= 0));   // counts samples, not units
