/* fuzz_ufo.c — libFuzzer harness of the ufo reader (see fuzz_format.h). */
#define FUZZ_FORMAT "ufo"
#define FUZZ_PATH "dir/train.json"
#include "fuzz_format.h"
