package org.specus.io.beam;

import java.util.Map;

/**
 * A small array an op adds to the output beside the traces (e.g. {@code whitening_matrix}), with
 * the attributes that say how it was made.
 */
public record Artifact(String name, double[] values, long[] shape, boolean asFloat32, Map<String, Object> attributes) {}
