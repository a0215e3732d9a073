/* textloc/draw.h — overlays on RGB pixmaps: polygon outlines and fills, hatching
 * for don't-care regions, text labels in a built-in 5x7 bitmap font, whole
 * annotated images, evaluation colourings. */
#ifndef TEXTLOC_DRAW_H
#define TEXTLOC_DRAW_H

typedef struct tl_rgb { uint8_t r, g, b; } tl_rgb;

/* Colours eval and draw agree on. */
#define TL_RGB_CARE     ((tl_rgb){ 0, 200, 255 })   /* plain annotation, care */
#define TL_RGB_DONTCARE ((tl_rgb){ 150, 150, 150 })
#define TL_RGB_MATCHED  ((tl_rgb){ 0, 200, 0 })
#define TL_RGB_MISSED   ((tl_rgb){ 230, 0, 0 })
#define TL_RGB_FALSEPOS ((tl_rgb){ 255, 140, 0 })

/* All drawing clips to the pixmap; p must be RGB (channels == 3). Coordinates use
 * the continuous convention: pixel (i, j) covers [i, i+1) x [j, j+1). */

/* Outline of a closed polygon, thickness >= 1 pixels (anti-aliasing off). */
TL_API void tl_draw_polygon(tl_pixmap *p, const tl_point *pts, size_t n, int thickness, tl_rgb c);
/* A line segment of the given thickness. */
TL_API void tl_draw_line(tl_pixmap *p, tl_point a, tl_point b, int thickness, tl_rgb c);
/* Even-odd fill blended with alpha (0..255; 255 = opaque). */
TL_API void tl_fill_polygon(tl_pixmap *p, const tl_point *pts, size_t n, tl_rgb c, int alpha);
/* Diagonal hatching inside the polygon: lines of colour c every spacing pixels. */
TL_API void tl_hatch_polygon(tl_pixmap *p, const tl_point *pts, size_t n, tl_rgb c, int spacing);
/* A text label with its top-left corner at (x, y), in the 5x7 font scaled by scale
 * (1..8), on a filled background box (bg_alpha 0 = no box). UTF-8: every non-ASCII
 * code point is drawn as one hollow box. Returns the label's width in pixels. */
TL_API int tl_draw_text(tl_pixmap *p, int x, int y, const char *utf8, int scale, tl_rgb fg,
			tl_rgb bg, int bg_alpha);
/* Width and height of a label without drawing it. */
TL_API void tl_text_size(const char *utf8, int scale, int *w, int *h);

typedef struct tl_draw_opts {
	int thickness;         /* outline thickness; 0 = automatic from the image size */
	int labels;            /* 1: draw transcriptions */
	int font_scale;        /* 0 = automatic */
	int fill_alpha;        /* translucent fill of care regions; 0 = none */
	int scores;            /* 1: labels also show confidences (off by default: on a
	                          dense page of detections they hide the text) */
} tl_draw_opts;

/* Draws one region in its own form (RECT, RBOX, QUAD, POLY): outline of colour c,
 * hatched when dontcare, label when o->labels. */
TL_API int tl_draw_region(tl_pixmap *p, const tl_region *r, tl_rgb c, const tl_draw_opts *o,
			  tl_error *err);
/* Draws every region of im: care regions in TL_RGB_CARE, don't-care hatched
 * in TL_RGB_DONTCARE. o may be NULL (automatic sizes, transcription labels). */
TL_API int tl_draw_image(tl_pixmap *p, const tl_image *im, const tl_draw_opts *o, tl_error *err);
/* Same with one colour per region (colors[i] for im->regions[i]); eval colours
 * matched green, missed red, false positive orange, don't-care grey. Don't-care
 * regions are still hatched. */
TL_API int tl_draw_image_colored(tl_pixmap *p, const tl_image *im, const tl_rgb *colors,
				 const tl_draw_opts *o, tl_error *err);

#endif
