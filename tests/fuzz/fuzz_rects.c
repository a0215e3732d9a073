/* fuzz_rects.c — libFuzzer harness of the rects reader (see fuzz_format.h). */
#define FUZZ_FORMAT "rects"
#define FUZZ_PATH "train_ReCTS_000001.json"
#include "fuzz_format.h"
