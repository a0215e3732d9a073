/* fuzz_art.c — libFuzzer harness of the art reader (see fuzz_format.h). */
#define FUZZ_FORMAT "art"
#define FUZZ_PATH "train_labels.json"
#include "fuzz_format.h"
