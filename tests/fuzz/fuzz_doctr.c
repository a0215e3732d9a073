/* fuzz_doctr.c — libFuzzer harness of the doctr reader (see fuzz_format.h). */
#define FUZZ_FORMAT "doctr"
#define FUZZ_PATH "labels.json"
#include "fuzz_format.h"
