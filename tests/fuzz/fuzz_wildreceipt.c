/* fuzz_wildreceipt.c — libFuzzer harness of the wildreceipt reader (see fuzz_format.h). */
#define FUZZ_FORMAT "wildreceipt"
#define FUZZ_PATH "data.txt"
#include "fuzz_format.h"
