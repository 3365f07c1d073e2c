// Definitions that keep a statically linked bootstrap loadable on Amazon Linux 2023 (glibc 2.34).
// Swift never calls them directly: the static Swift standard library references them, and the linker resolves
// those references here instead of to a newer symbol version of the build machine's glibc.
#pragma once

/// hypotf, which glibc 2.35 re-versioned (`hypotf@GLIBC_2.35`); referenced by libswiftGlibc's `hypot(Float, Float)`.
float hypotf(float x, float y);

/// arc4random, new in glibc 2.36 (`arc4random@GLIBC_2.36`); referenced by the static libstdc++'s `std::random_device`.
/// 32 bits from the kernel's CSPRNG (getrandom, glibc 2.25); aborts if the kernel cannot give them, as glibc's does.
unsigned int arc4random(void);
