/* fuzz_ctw1500_legacy.c — libFuzzer harness of the ctw1500-legacy reader (see fuzz_format.h). */
#define FUZZ_FORMAT "ctw1500-legacy"
#define FUZZ_PATH "0042.txt"
#include "fuzz_format.h"
