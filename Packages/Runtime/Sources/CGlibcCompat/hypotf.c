#include "CGlibcCompat.h"
#include <math.h>

// The product of two floats is exact in double (24 + 24 bits < 53), so the only roundings are the sum's and the
// square root's: the same method glibc 2.35 uses for its own hypotf.
float hypotf(float x, float y) {
    if (isinf(x) || isinf(y)) return INFINITY;
    if (isnan(x) || isnan(y)) return NAN;
    double dx = (double)x, dy = (double)y;
    return (float)__builtin_sqrt(dx * dx + dy * dy);
}
