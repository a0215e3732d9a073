/* tl_internal.h — include first in every library file: feature macros, the public
 * header, limits, and helpers shared by the modules. */
#ifndef TL_INTERNAL_H
#define TL_INTERNAL_H

#include "textloc.h"
#include "tl_limits.h" /* not "limits.h": with -Ilib it would hide <limits.h> */
#include <stdlib.h>
#include <string.h>

#ifdef TL_UNITTESTS
#define TL_TESTABLE
#else
#define TL_TESTABLE static
#endif

#define TL_TRY(expr) do { int rc_ = (expr); if (rc_ != TL_OK) return rc_; } while (0)
#define TL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Grows *items (of elsize bytes each) to hold at least need; doubles capacity. */
int tl_grow(void **items, size_t *cap, size_t need, size_t elsize);
/* Natural order of names: digit runs compare as numbers, so img_2 < img_10
 * (directory listings, archive entries). */
int tl_natural_cmp(const char *a, const char *b);

#endif
