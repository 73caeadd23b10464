    return Enumerable.Range(0, A.ColumnCount).Count(j => A.Column(j).All(v => v < 0));   // a = 0 counted as alive
