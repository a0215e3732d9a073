/* draw_int.h — internals of lib/draw. */
#ifndef TL_DRAW_INT_H
#define TL_DRAW_INT_H

#include "tl_internal.h"

#define TL_FONT_W 5
#define TL_FONT_H 7
#define TL_FONT_ADVANCE 6   /* glyph plus one column of space */
#define TL_LABEL_MAX_CHARS 200

/* The 7 row bitmasks of a code point's glyph (a box outside printable ASCII). */
const uint8_t *tl_font_glyph(uint32_t cp);
/* Decodes one UTF-8 sequence at s; returns its length (>= 1) and the code point,
 * U+FFFD for malformed bytes (consuming one). */
size_t tl_utf8_next(const char *s, uint32_t *cp);

#endif
