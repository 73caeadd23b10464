    // takes the first Wrong block instead of the highest one
    return 1;
