package org.specus.dsp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Digital Butterworth filters as second-order sections, reproducing
 * {@code scipy.signal.iirfilter(order, Wn, btype=..., ftype='butter', output='sos', fs=fs)}
 * section by section: the same analog prototype, pre-warped cutoffs, lp2lp/lp2hp/lp2bp, bilinear
 * transform, and {@code zpk2sos} with {@code pairing='nearest'} (sections ordered so the poles
 * closest to the unit circle come last; the gain goes into the first section). Matching scipy's
 * pairing and order matters: a different but equivalent factorisation gives the same transfer
 * function but different rounding, and users compare our output with SpikeInterface's.
 */
public final class Butterworth {
  private Butterworth() {}

  /** Band-pass of {@code order} (the prototype order: 2·order poles), like SpikeInterface's. */
  public static Sos bandpass(int order, double lowHz, double highHz, double fs) {
    checkOrderAndRate(order, fs);
    checkCutoff("bandpass low", lowHz, fs);
    checkCutoff("bandpass high", highHz, fs);
    if (!(lowHz < highHz)) {
      throw new IllegalArgumentException("bandpass low cutoff " + hz(lowHz)
          + " Hz must be below the high cutoff " + hz(highHz) + " Hz");
    }
    double w0 = warp(lowHz, fs);
    double w1 = warp(highHz, fs);
    double bw = w1 - w0;
    double wo = Math.sqrt(w0 * w1);
    List<C> z = new ArrayList<>();
    List<C> p = new ArrayList<>();
    // lp2bp_zpk: scale to half the bandwidth, split each pole into a pair around +-wo.
    for (C q : prototypePoles(order)) {
      C lp = q.scale(bw).scale(0.5);
      C root = lp.mul(lp).sub(new C(wo * wo, 0)).sqrt();
      p.add(lp.add(root));
    }
    for (C q : prototypePoles(order)) {
      C lp = q.scale(bw).scale(0.5);
      C root = lp.mul(lp).sub(new C(wo * wo, 0)).sqrt();
      p.add(lp.sub(root));
    }
    for (int i = 0; i < order; i++) {
      z.add(C.ZERO); // degree zeros at the origin, the other `degree` at infinity
    }
    double k = Math.pow(bw, order);
    return bilinearToSos(z, p, k);
  }

  public static Sos highpass(int order, double cutoffHz, double fs) {
    checkOrderAndRate(order, fs);
    checkCutoff("highpass", cutoffHz, fs);
    double wo = warp(cutoffHz, fs);
    List<C> z = new ArrayList<>();
    List<C> p = new ArrayList<>();
    C prodMinusP = C.ONE;
    for (C q : prototypePoles(order)) {
      p.add(new C(wo, 0).div(q));
      prodMinusP = prodMinusP.mul(q.neg());
    }
    for (int i = 0; i < order; i++) {
      z.add(C.ZERO); // lp zeros at infinity move to the origin
    }
    double k = C.ONE.div(prodMinusP).re;
    return bilinearToSos(z, p, k);
  }

  public static Sos lowpass(int order, double cutoffHz, double fs) {
    checkOrderAndRate(order, fs);
    checkCutoff("lowpass", cutoffHz, fs);
    double wo = warp(cutoffHz, fs);
    List<C> p = new ArrayList<>();
    for (C q : prototypePoles(order)) {
      p.add(q.scale(wo));
    }
    double k = Math.pow(wo, order);
    return bilinearToSos(new ArrayList<>(), p, k);
  }

  // ---- validation --------------------------------------------------------------------------

  private static void checkOrderAndRate(int order, double fs) {
    if (order < 1) {
      throw new IllegalArgumentException("filter order must be at least 1, got " + order);
    }
    if (!(fs > 0) || !Double.isFinite(fs)) {
      throw new IllegalArgumentException(
          "sampling rate must be a positive finite number of Hz, got " + fs);
    }
  }

  private static void checkCutoff(String what, double f, double fs) {
    if (!Double.isFinite(f)) {
      throw new IllegalArgumentException(what + " cutoff must be a finite number of Hz, got " + f);
    }
    if (f <= 0) {
      throw new IllegalArgumentException(what + " cutoff must be above 0 Hz, got " + hz(f) + " Hz");
    }
    if (f >= fs / 2) {
      throw new IllegalArgumentException(what + " cutoff " + hz(f) + " Hz is at or above Nyquist ("
          + hz(fs / 2) + " Hz for a " + hz(fs) + " Hz recording)");
    }
  }

  /** 16000.0 prints as "16000", 29999.757983 as itself: numbers as a person typed them. */
  static String hz(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  // ---- design steps, as in scipy ------------------------------------------------------------

  /** Pre-warped cutoff for the bilinear transform with scipy's internal fs = 2. */
  private static double warp(double f, double fs) {
    double wn = f / (fs / 2);
    return 2 * 2.0 * Math.tan(Math.PI * wn / 2.0);
  }

  /** buttap: p = -exp(i·pi·m/(2N)), m = -N+1, -N+3, ..., N-1 (the middle one exactly real). */
  private static List<C> prototypePoles(int n) {
    List<C> p = new ArrayList<>(n);
    for (int m = -n + 1; m < n; m += 2) {
      double th = Math.PI * m / (2.0 * n);
      p.add(new C(-Math.cos(th), -Math.sin(th)));
    }
    return p;
  }

  /** bilinear_zpk with fs = 2, then zpk2sos. */
  private static Sos bilinearToSos(List<C> z, List<C> p, double k) {
    final C fs2 = new C(4.0, 0);
    int degree = p.size() - z.size();
    C num = C.ONE;
    C den = C.ONE;
    List<C> zz = new ArrayList<>();
    List<C> pz = new ArrayList<>();
    for (C q : z) {
      zz.add(fs2.add(q).div(fs2.sub(q)));
      num = num.mul(fs2.sub(q));
    }
    for (C q : p) {
      pz.add(fs2.add(q).div(fs2.sub(q)));
      den = den.mul(fs2.sub(q));
    }
    for (int i = 0; i < degree; i++) {
      zz.add(new C(-1, 0)); // zeros at infinity go to Nyquist
    }
    double kz = k * num.div(den).re;
    return zpk2sos(zz, pz, kz);
  }

  /** scipy's zpk2sos with pairing='nearest' for a digital filter (len(z) == len(p) here). */
  static Sos zpk2sos(List<C> zIn, List<C> pIn, double k) {
    List<C> z = new ArrayList<>(zIn);
    List<C> p = new ArrayList<>(pIn);
    while (p.size() < z.size()) {
      p.add(C.ZERO);
    }
    while (z.size() < p.size()) {
      z.add(C.ZERO);
    }
    int nSections = (p.size() + 1) / 2;
    if (p.size() % 2 == 1) { // 'nearest': pad an odd count with a pole and a zero at the origin
      p.add(C.ZERO);
      z.add(C.ZERO);
    }
    z = cplxreal(z);
    p = cplxreal(p);
    double[][] sos = new double[nSections][];
    for (int si = nSections - 1; si >= 0; si--) {
      C p1 = p.remove(idxWorst(p));
      if (p1.isReal() && countReal(p) == 0) {
        // last real pole: a first-order section with the nearest real zero
        C z1 = z.remove(nearestIdx(z, p1, Which.REAL));
        sos[si] = section(List.of(z1, C.ZERO), List.of(p1, C.ZERO));
      } else if (p.size() + 1 == z.size() && !p1.isReal() && countReal(p) == 1
          && countReal(z) == 1) {
        // one real pole and one real zero left: this complex pole must take a complex zero
        C z1 = z.remove(nearestIdx(z, p1, Which.COMPLEX));
        sos[si] = section(List.of(z1, z1.conj()), List.of(p1, p1.conj()));
      } else {
        C p2;
        if (p1.isReal()) {
          List<Integer> realIdx = new ArrayList<>();
          List<C> reals = new ArrayList<>();
          for (int i = 0; i < p.size(); i++) {
            if (p.get(i).isReal()) {
              realIdx.add(i);
              reals.add(p.get(i));
            }
          }
          p2 = p.remove((int) realIdx.get(idxWorst(reals)));
        } else {
          p2 = p1.conj();
        }
        if (!z.isEmpty()) {
          C z1 = z.remove(nearestIdx(z, p1, Which.ANY));
          if (!z1.isReal()) {
            sos[si] = section(List.of(z1, z1.conj()), List.of(p1, p2));
          } else if (!z.isEmpty()) {
            C z2 = z.remove(nearestIdx(z, p1, Which.REAL));
            sos[si] = section(List.of(z1, z2), List.of(p1, p2));
          } else {
            sos[si] = section(List.of(z1), List.of(p1, p2));
          }
        } else {
          sos[si] = section(List.of(), List.of(p1, p2));
        }
      }
    }
    for (int i = 0; i < 3; i++) {
      sos[0][i] *= k;
    }
    return new Sos(sos);
  }

  /** Index of the pole closest to the unit circle (first one on ties, like np.argmin). */
  private static int idxWorst(List<C> p) {
    int best = 0;
    double bestD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < p.size(); i++) {
      double d = Math.abs(1 - p.get(i).abs());
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  private enum Which { REAL, COMPLEX, ANY }

  private static int nearestIdx(List<C> from, C to, Which which) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < from.size(); i++) {
      C c = from.get(i);
      if (which == Which.REAL && !c.isReal() || which == Which.COMPLEX && c.isReal()) {
        continue;
      }
      double d = c.sub(to).abs();
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("no " + which + " zero left to pair (internal error)");
    }
    return best;
  }

  private static int countReal(List<C> l) {
    int n = 0;
    for (C c : l) {
      if (c.isReal()) {
        n++;
      }
    }
    return n;
  }

  /** One section from up to two zeros and two poles: coefficients of poly(roots), right-aligned. */
  private static double[] section(List<C> z, List<C> p) {
    double[] b = poly(z);
    double[] a = poly(p);
    double[] row = new double[6];
    System.arraycopy(b, 0, row, 3 - b.length, b.length);
    System.arraycopy(a, 0, row, 6 - a.length, a.length);
    return row;
  }

  /** numpy.poly for 0..2 roots that are real or a conjugate pair; the real part is kept. */
  private static double[] poly(List<C> r) {
    if (r.isEmpty()) {
      return new double[] {1};
    }
    if (r.size() == 1) {
      return new double[] {1, r.get(0).neg().re};
    }
    C r1 = r.get(0).neg();
    C r2 = r.get(1).neg();
    return new double[] {1, r1.add(r2).re, r1.mul(r2).re};
  }

  /**
   * scipy's _cplxreal: values within 100 eps of the real axis become exactly real; of each
   * conjugate pair only the positive-imaginary member is kept (averaged with its partner). Returns
   * the complex ones sorted by real part then |imag|, followed by the real ones sorted ascending.
   */
  private static List<C> cplxreal(List<C> z) {
    final double tol = 100 * Math.ulp(1.0);
    List<C> sorted = new ArrayList<>(z);
    sorted.sort(Comparator.<C>comparingDouble(c -> c.re).thenComparingDouble(c -> Math.abs(c.im)));
    List<C> reals = new ArrayList<>();
    List<C> pos = new ArrayList<>();
    List<C> neg = new ArrayList<>();
    for (C c : sorted) {
      if (Math.abs(c.im) <= tol * c.abs()) {
        reals.add(new C(c.re, 0));
      } else if (c.im > 0) {
        pos.add(c);
      } else {
        neg.add(c);
      }
    }
    if (pos.size() != neg.size()) {
      throw new IllegalStateException("complex value without a matching conjugate");
    }
    sortRuns(pos, tol);
    sortRuns(neg, tol);
    List<C> out = new ArrayList<>();
    for (int i = 0; i < pos.size(); i++) {
      C a = pos.get(i);
      C b = neg.get(i).conj();
      if (a.sub(b).abs() > tol * neg.get(i).abs()) {
        throw new IllegalStateException("complex value without a matching conjugate");
      }
      out.add(a.add(b).scale(0.5));
    }
    out.addAll(reals);
    return out;
  }

  /** Within runs of (nearly) equal real part, order by |imag|, as _cplxreal does. */
  private static void sortRuns(List<C> l, double tol) {
    if (l.isEmpty()) {
      return;
    }
    // runs are decided on the positive list in scipy; conjugates have identical real parts
    int start = 0;
    for (int i = 1; i <= l.size(); i++) {
      boolean same = i < l.size() && l.get(i).re - l.get(i - 1).re <= tol * l.get(i - 1).abs();
      if (!same) {
        if (i - start > 1) {
          List<C> run = new ArrayList<>(l.subList(start, i));
          run.sort(Comparator.comparingDouble(c -> Math.abs(c.im)));
          for (int j = 0; j < run.size(); j++) {
            l.set(start + j, run.get(j));
          }
        }
        start = i;
      }
    }
  }

  /** Minimal immutable complex number; division is Smith's, like numpy's. */
  static final class C {
    static final C ZERO = new C(0, 0);
    static final C ONE = new C(1, 0);
    final double re;
    final double im;

    C(double re, double im) {
      this.re = re;
      this.im = im;
    }

    boolean isReal() {
      return im == 0;
    }

    C add(C o) {
      return new C(re + o.re, im + o.im);
    }

    C sub(C o) {
      return new C(re - o.re, im - o.im);
    }

    C mul(C o) {
      return new C(re * o.re - im * o.im, re * o.im + im * o.re);
    }

    C scale(double s) {
      return new C(re * s, im * s);
    }

    C neg() {
      return new C(-re, -im);
    }

    C conj() {
      return new C(re, -im);
    }

    double abs() {
      return Math.hypot(re, im);
    }

    C div(C o) {
      if (Math.abs(o.re) >= Math.abs(o.im)) {
        double r = o.im / o.re;
        double d = o.re + o.im * r;
        return new C((re + im * r) / d, (im - re * r) / d);
      } else {
        double r = o.re / o.im;
        double d = o.re * r + o.im;
        return new C((re * r + im) / d, (im * r - re) / d);
      }
    }

    /** Principal square root. */
    C sqrt() {
      if (re == 0 && im == 0) {
        return new C(0, im);
      }
      double t = Math.sqrt((Math.abs(re) + Math.hypot(re, im)) / 2);
      if (re >= 0) {
        return new C(t, im / (2 * t));
      }
      return new C(Math.abs(im) / (2 * t), Math.copySign(t, im));
    }
  }
}
