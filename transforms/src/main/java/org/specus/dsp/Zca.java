package org.specus.dsp;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * ZCA whitening matrix from a covariance: {@code W = U diag(1/sqrt(S + eps)) Uᵀ}, computed in
 * double with EJML's symmetric eigendecomposition (for a symmetric PSD matrix this is the same
 * W as SpikeInterface's SVD route).
 *
 * <p>The input is symmetrised ((C + Cᵀ)/2) so a covariance assembled with rounding in its lower
 * triangle cannot push the solver off the symmetric path. Eigenvalues that come out slightly
 * negative (rounding on a rank-deficient covariance, e.g. a dead or duplicated channel) are
 * clamped to 0 before adding eps, since a covariance cannot have negative variance along any
 * direction; such a direction is then scaled by 1/sqrt(eps).
 */
public final class Zca {
  private Zca() {}

  /** Row-major n×n W for the row-major n×n covariance {@code cov}. */
  public static double[] whiteningMatrix(double[] cov, int n, double eps) {
    if (n < 1 || cov.length != n * n) {
      throw new IllegalArgumentException("covariance must be n×n = " + n + "×" + n
          + " values, got " + cov.length);
    }
    if (!(eps >= 0) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
    }
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = 0.5 * (cov[i * n + j] + cov[j * n + i]);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("covariance has a non-finite value at (" + i + ", "
              + j + ")");
        }
        a.unsafe_set(i, j, v);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(a)) {
      throw new IllegalStateException("eigendecomposition of the " + n + "×" + n
          + " covariance did not converge");
    }
    // scaled = U diag(1/sqrt(S+eps)); W = scaled · Uᵀ
    DMatrixRMaj u = new DMatrixRMaj(n, n);
    DMatrixRMaj scaled = new DMatrixRMaj(n, n);
    for (int k = 0; k < n; k++) {
      double s = Math.max(0.0, eig.getEigenvalue(k).real) + eps;
      if (!(s > 0)) {
        throw new IllegalArgumentException("covariance is singular (an eigenvalue is 0) and eps"
            + " is 0: the whitening matrix would be infinite; use eps > 0");
      }
      double d = 1.0 / Math.sqrt(s);
      DMatrixRMaj v = eig.getEigenVector(k);
      for (int i = 0; i < n; i++) {
        u.unsafe_set(i, k, v.get(i));
        scaled.unsafe_set(i, k, v.get(i) * d);
      }
    }
    DMatrixRMaj w = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(scaled, u, w);
    return w.getData().clone();
  }
}
