/* tl_limits.h — every safety limit of the library, in one place. */
#ifndef TL_LIMITS_H
#define TL_LIMITS_H

#define TL_MAX_FILE_BYTES   ((size_t)1 << 30)   /* one annotation file or model */
#define TL_MAX_ZIP_ENTRIES  (1u << 20)
#define TL_MAX_ZIP_ENTRY    ((size_t)1 << 30)   /* uncompressed size of one entry */
#define TL_MAX_IMAGES       (1u << 24)          /* per dataset */
#define TL_MAX_REGIONS      (1u << 20)          /* per image */
#define TL_MAX_POINTS       (1u << 20)          /* per polygon */
#define TL_MAX_LINE_BYTES   ((size_t)1 << 28)   /* one text line */
#define TL_MAX_PIXELS       ((uint64_t)1 << 28) /* default --max-pixels */

#endif
