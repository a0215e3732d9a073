/* fuzz_ctw1500.c — libFuzzer harness of the ctw1500 reader (see fuzz_format.h). */
#define FUZZ_FORMAT "ctw1500"
#define FUZZ_PATH "0042.txt"
#include "fuzz_format.h"
