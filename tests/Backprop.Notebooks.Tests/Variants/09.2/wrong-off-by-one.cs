    return Math.Pow(0.25, H);   // one factor too many: H layers are only H − 1 steps apart
