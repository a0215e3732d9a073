/* textloc/draw.h */
#ifndef TEXTLOC_DRAW_H
#define TEXTLOC_DRAW_H

#endif
