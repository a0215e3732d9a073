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

/* Every N-th input starting at I (--shard I/N): 1 if item k belongs to the shard.
 * "I/N" with 0 <= I < N parses into *i, *n (returns TL_E_USAGE otherwise). */
TL_API int tl_shard_parse(const char *spec, size_t *i, size_t *n);
static inline int tl_shard_has(size_t k, size_t i, size_t n) { return n <= 1 || k % n == i; }

#endif
