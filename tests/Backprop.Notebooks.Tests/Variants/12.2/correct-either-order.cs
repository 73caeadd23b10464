// KEEP
// NEXT SOLUTION
    // a lies wholly above b, or b wholly above a.
    return a.Mean - a.Sd > b.Mean + b.Sd || b.Mean - b.Sd > a.Mean + a.Sd;
