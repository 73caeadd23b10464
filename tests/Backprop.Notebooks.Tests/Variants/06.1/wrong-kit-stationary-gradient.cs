    // Kit call: StationaryPoints.Gradient — lesson 07's central-difference gradient of any f (through the alias Lessons::), of which entry i is the answer.
    var all = Lessons::StationaryPoints.Gradient(loss, w, epsilon);
    return all[i];
