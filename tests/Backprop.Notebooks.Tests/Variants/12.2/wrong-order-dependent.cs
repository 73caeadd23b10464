// KEEP
// NEXT SOLUTION
    return a.Mean - a.Sd > b.Mean + b.Sd;   // only when a is the better one: the order of the arguments matters
