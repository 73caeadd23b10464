    // computed from the report: the highest-numbered Wrong block w⁽ˡ⁾ belongs to hidden layer l
    int highest = 0;
    for (int l = 0; l < bugReport.Blocks.Count; l++)
        if (bugReport.Blocks[l].Verdict == GradientVerdict.Wrong) highest = l + 1;
    return highest;
