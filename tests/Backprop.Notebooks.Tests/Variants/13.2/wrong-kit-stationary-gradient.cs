    // Kit call: StationaryPoints.Gradient — lesson 07's central-difference gradient of any f, through the alias Lessons::.
    return Lessons::StationaryPoints.Gradient(L, w, eps);
