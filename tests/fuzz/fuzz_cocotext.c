/* fuzz_cocotext.c — libFuzzer harness of the cocotext reader (see fuzz_format.h). */
#define FUZZ_FORMAT "cocotext"
#define FUZZ_PATH "cocotext.v2.json"
#include "fuzz_format.h"
