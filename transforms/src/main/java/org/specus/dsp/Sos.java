package org.specus.dsp;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An immutable cascade of second-order sections, in scipy's {@code output='sos'} layout: one row
 * {@code [b0, b1, b2, a0, a1, a2]} per section, with {@code a0 == 1}. A first-order section has
 * {@code b2 == a2 == 0}. Serializable so a Beam DoFn can carry it.
 */
public final class Sos implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[][] sections;

  /** Copies {@code sections}; each row must have 6 finite coefficients and {@code a0 == 1}. */
  public Sos(double[][] sections) {
    if (sections == null || sections.length == 0) {
      throw new IllegalArgumentException("a filter needs at least one second-order section");
    }
    double[][] copy = new double[sections.length][];
    for (int s = 0; s < sections.length; s++) {
      double[] row = sections[s];
      if (row == null || row.length != 6) {
        throw new IllegalArgumentException(
            "section " + s + " must have 6 coefficients [b0,b1,b2,a0,a1,a2]");
      }
      for (double v : row) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(
              "section " + s + " has a non-finite coefficient: " + Arrays.toString(row));
        }
      }
      // The filters run the a0 == 1 recursion; a scaled a0 would silently change the response.
      if (row[3] != 1.0) {
        throw new IllegalArgumentException(
            "section " + s + " must be normalised (a0 = 1), got a0 = " + row[3]);
      }
      copy[s] = row.clone();
    }
    this.sections = copy;
  }

  public int numSections() {
    return sections.length;
  }

  /** Coefficient {@code k} (0..5) of section {@code s}. */
  public double get(int s, int k) {
    return sections[s][k];
  }

  /** A deep copy of the coefficients. */
  public double[][] toArray() {
    double[][] copy = new double[sections.length][];
    for (int s = 0; s < sections.length; s++) {
      copy[s] = sections[s].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sos && Arrays.deepEquals(sections, ((Sos) o).sections);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(sections);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Sos[");
    for (double[] row : sections) {
      sb.append(Arrays.toString(row));
    }
    return sb.append(']').toString();
  }
}
