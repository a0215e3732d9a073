/* textloc/datasets.h — descriptors of known public OCR detection datasets, and the
 * calls that find a downloaded copy's files by them (`--dataset NAME DIR` on
 * convert, validate, eval, stats and crop) and check it is complete.
 *
 * A descriptor lists, per split, the folders an image set and its annotations are
 * found in (the official names first, then the names common re-distributions use),
 * the file-name patterns, the expected counts, and the annotation format. Patterns
 * hold one number field: {N} (any digits), {N4}/{N5}/{N6}/{N12} (zero-padded to that
 * width), or {S} (any stem, for sets whose names are not numbered). Alternatives are
 * separated by '|'; the first is the official one.
 *
 *     const tl_known_dataset *kd = tl_known_dataset_find("icdar2015");
 *     tl_diags d; tl_diags_init(&d);
 *     tl_error err;
 *     int rc = tl_dataset_check_layout(kd, "../shared/data/icdar2015", NULL, &d, &err);
 *     // d: "train: annotations named img_N.jpg.txt, not the official gt_img_N.txt",
 *     //    "train: 100 of 1000 images present (img_101.jpg ... missing)", ...
 */
#ifndef TEXTLOC_DATASETS_H
#define TEXTLOC_DATASETS_H

typedef struct tl_known_split {
	const char *name;          /* "train", "test", "validation" */
	const char *image_dirs;    /* candidate folders relative to the root, '|'-separated */
	const char *image_pattern; /* e.g. "img_{N}.jpg"; matched case-insensitively */
	const char *ann_paths;     /* candidate annotation folders, zips or files */
	const char *ann_patterns;  /* per-image file patterns, or NULL: ann_paths is one file */
	long first;                /* first number of a contiguous range, -1: not a range */
	long images;               /* expected images (0: not known) */
	long regions;              /* expected regions in the annotations (0: not known) */
	const char *format;        /* textloc format name of the annotations */
} tl_known_split;

typedef struct tl_known_dataset {
	const char *name;          /* "icdar2015" */
	const char *aliases;       /* '|'-separated other names, or NULL */
	const char *title;
	const char *licence;       /* as the source states it */
	const char *url;           /* where to download it */
	const char *notes;         /* quirks, unverified facts */
	const tl_known_split *splits;
	size_t nsplits;
} tl_known_dataset;

TL_API size_t tl_known_dataset_count(void);
TL_API const tl_known_dataset *tl_known_dataset_at(size_t i);
/* By name or alias; NULL if unknown. */
TL_API const tl_known_dataset *tl_known_dataset_find(const char *name);
TL_API const tl_known_split *tl_known_split_find(const tl_known_dataset *kd, const char *split);

/* Where one split of a downloaded copy is (tl_known_locate). */
typedef struct tl_known_layout {
	const tl_known_split *split;
	char *image_dir;           /* root/<folder found>, or NULL when none exists */
	char *ann_path;            /* root/<folder, zip or file found>, or NULL */
	const char *ann_pattern;   /* the per-image pattern most annotation files match */
	int official_names;        /* 1 if that is the first (official) pattern */
	char **ann_files;          /* what to read: matching files (paths), or the zip or file */
	size_t nann;
	char **ann_names;          /* names matching ann_pattern (folder or zip entries) */
	size_t nann_names;
	size_t nother;             /* files in the annotation folder matching no pattern */
	char **images;             /* image file names (not paths) matching image_pattern */
	size_t nimages;
} tl_known_layout;

/* Finds the folders and files of one split under root. Missing folders are not an
 * error here (the fields stay NULL/0); TL_E_IO only for unreadable ones. */
TL_API int tl_known_locate(const tl_known_dataset *kd, const tl_known_split *split,
			   const char *root, tl_known_layout *out, tl_error *err);
TL_API void tl_known_layout_free(tl_known_layout *l);

/* The annotation inputs of a copy for reading with tl_read_inputs: every split
 * (split NULL) or one. *paths is malloc'd (free with tl_strv_free); *fmt is the
 * format of the annotations; *images_dir (may be NULL) the image folder of the first
 * split found, malloc'd. Returns TL_E_INPUT with err set when nothing is found. */
TL_API int tl_dataset_resolve(const tl_known_dataset *kd, const char *root, const char *split,
			      char ***paths, size_t *n, const tl_format **fmt, char **images_dir,
			      tl_error *err);

/* Checks that a downloaded copy is complete: for each split (or the one named) the
 * folders exist, file names follow the descriptor's pattern (a re-distribution's
 * names are a warning naming both), counts match the expected ones, and every image
 * has its annotation file and the reverse. Findings go to d with kinds
 * "dataset-missing", "dataset-count", "dataset-naming", "dataset-pairing",
 * "dataset-summary". Returns TL_E_INPUT when an error was added. */
TL_API int tl_dataset_check_layout(const tl_known_dataset *kd, const char *root,
				   const char *split, tl_diags *d, tl_error *err);

/* ---- statistics of an annotation set (textloc stats) ----------------------- */

/* A fixed-bin histogram: linear or logarithmic bins over [lo, hi]; values outside
 * go to the first or last bin. Fixed bins make statistics of shards merge exactly. */
#define TL_HIST_BINS 48
typedef struct tl_hist {
	double lo, hi;
	int log;                  /* 1: bins equal in log(value) */
	int nbins;
	uint64_t count;
	double sum, min, max;
	uint64_t bins[TL_HIST_BINS];
} tl_hist;

enum {
	TL_STAT_HEIGHT,           /* short side of the minimum-area rectangle, pixels */
	TL_STAT_WIDTH,            /* long side, pixels */
	TL_STAT_ASPECT,           /* long side / short side */
	TL_STAT_ANGLE,            /* direction of the long side, degrees in [-90, 90) */
	TL_STAT_POINTS,           /* vertices per region (RECT and RBOX count 4) */
	TL_STAT_TEXTLEN,          /* transcription length in code points */
	TL_STAT_AREA_SHARE,       /* region area / image area */
	TL_STAT_TEXT_SHARE,       /* per image: sum of region areas / image area */
	TL_STAT_COUNT
};

enum {
	TL_SCRIPT_LATIN, TL_SCRIPT_DIGITS, TL_SCRIPT_HAN, TL_SCRIPT_KANA, TL_SCRIPT_HANGUL,
	TL_SCRIPT_ARABIC, TL_SCRIPT_CYRILLIC, TL_SCRIPT_GREEK, TL_SCRIPT_HEBREW,
	TL_SCRIPT_DEVANAGARI, TL_SCRIPT_BENGALI, TL_SCRIPT_THAI, TL_SCRIPT_OTHER,
	TL_SCRIPT_COUNT
};

typedef struct tl_stats {
	uint64_t images, images_sized, images_empty;
	uint64_t regions, care, dontcare, with_text;
	uint64_t shapes[5];       /* by tl_shape */
	uint64_t scripts[TL_SCRIPT_COUNT]; /* care regions with text, by dominant script */
	tl_hist h[TL_STAT_COUNT]; /* care regions (TEXT_SHARE: images with a size) */
} tl_stats;

TL_API void tl_stats_init(tl_stats *s);
/* Adds an image and its regions. Geometry and text figures count care regions;
 * area shares need the image size (width/height, or 0 = not counted). */
TL_API void tl_stats_add_image(tl_stats *s, const tl_image *im);
/* dst += src (both initialised with tl_stats_init). */
TL_API void tl_stats_merge(tl_stats *dst, const tl_stats *src);
TL_API const char *tl_stats_metric_name(int metric);
TL_API const char *tl_stats_script_name(int script);
/* The value below which a share q (0..1) of the histogram's values lie, interpolated
 * inside the bin (exact to the bin width); 0 for an empty histogram. */
TL_API double tl_hist_quantile(const tl_hist *h, double q);
/* Lower edge of bin i (i = nbins gives the upper edge of the last). */
TL_API double tl_hist_edge(const tl_hist *h, int i);
/* The report as an aligned text table, or as JSON that tl_stats_from_json reads
 * back (for merging the outputs of --shard runs). */
TL_API int tl_stats_table(const tl_stats *s, tl_buf *out);
TL_API int tl_stats_json(const tl_stats *s, tl_buf *out);
TL_API int tl_stats_from_json(tl_stats *s, const char *json, size_t len, tl_error *err);
/* One PNG bar chart per histogram (DIR/<metric>.png), with title and axis labels. */
TL_API int tl_stats_plot(const tl_stats *s, const char *dir, int force, tl_error *err);

/* ---- word crops for recognition datasets (textloc crop) ------------------- */

typedef struct tl_crop_opts {
	double pad;               /* margin added around each region, as a share of its
	                             height (0.1 = 10 %); negative values are refused */
	int height;               /* scale every crop to this height (0 = natural size) */
	int include_dontcare;     /* also crop don't-care regions */
	int min_size;             /* skip regions whose short side is below this (pixels) */
} tl_crop_opts;

/* Cuts region r out of img as an upright rectangle: QUAD and RBOX by a perspective
 * (homography) warp of their four corners, RECT directly, POLY through its
 * minimum-area rectangle; bilinear sampling. Vertical words (taller than wide) stay
 * as they are. out is allocated (RGB or gray as img). */
TL_API int tl_crop_region(const tl_pixmap *img, const tl_region *r, const tl_crop_opts *o,
			  tl_pixmap *out, tl_error *err);

/* Every N-th input starting at I (--shard I/N): 1 if item k belongs to the shard.
 * "I/N" with 0 <= I < N parses into *i, *n (returns TL_E_USAGE otherwise). */
TL_API int tl_shard_parse(const char *spec, size_t *i, size_t *n);
static inline int tl_shard_has(size_t k, size_t i, size_t n) { return n <= 1 || k % n == i; }

#endif
