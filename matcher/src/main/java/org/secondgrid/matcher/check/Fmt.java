package org.secondgrid.matcher.check;

import java.util.Locale;

/** Number formatting and tolerances of the checker (files carry kWh to the Wh and JPY to the sen). */
final class Fmt {

    /** Energy tolerance per record involved (rounding to Wh). */
    static final double KWH_PER_RECORD = 0.001;
    /** Money tolerance per record involved (rounding to 0.01 JPY). */
    static final double JPY_PER_RECORD = 0.01;
    static final double EPS = 1e-9;

    private Fmt() {
    }

    static String kwh(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String jpy(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }

    static double kwhTol(int records) {
        return KWH_PER_RECORD * Math.max(1, records) + EPS;
    }

    static double jpyTol(int records) {
        return JPY_PER_RECORD * Math.max(1, records) + EPS;
    }

    /** True when {@code a} and {@code b} differ by more than {@code tol}; NaN always differs. */
    static boolean differs(double a, double b, double tol) {
        return !(Math.abs(a - b) <= tol);
    }
}
