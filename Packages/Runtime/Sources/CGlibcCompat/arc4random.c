#include "CGlibcCompat.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

unsigned int arc4random(void) {
    unsigned int value;
    unsigned char *bytes = (unsigned char *)&value;
    size_t filled = 0;
    while (filled < sizeof value) {
        ssize_t count = getrandom(bytes + filled, sizeof value - filled, 0);
        if (count > 0) {
            filled += (size_t)count;
        } else if (count < 0 && errno != EINTR) {
            abort();
        }
    }
    return value;
}
