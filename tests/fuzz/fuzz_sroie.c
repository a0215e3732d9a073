/* fuzz_sroie.c — libFuzzer harness of the sroie reader (see fuzz_format.h). */
#define FUZZ_FORMAT "sroie"
#define FUZZ_PATH "box/000.csv"
#include "fuzz_format.h"
