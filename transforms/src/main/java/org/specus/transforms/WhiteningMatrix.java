package org.specus.transforms;

import java.io.Serializable;
import java.util.List;

/**
 * The whitening matrix as applied ({@code y = W x} per sample, float32, row-major n × n) and how it
 * was estimated.
 */
record WhiteningMatrix(int channels, float[] w, double eps, long samples, List<long[]> sampleRanges)
    implements Serializable {}
