/* fuzz_lsvt.c — libFuzzer harness of the lsvt reader (see fuzz_format.h). */
#define FUZZ_FORMAT "lsvt"
#define FUZZ_PATH "train_full_labels.json"
#include "fuzz_format.h"
