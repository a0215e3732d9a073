/* known.c — the table of known public datasets (textloc/datasets.h).
 *
 * Folder candidates list the official archive names first, then the names that
 * common re-distributions (DB, PaddleOCR, mmocr preparers, the ../shared/data copies)
 * use. Counts are the published ones; a count the sources disagree on is 0 and the
 * disagreement is in the notes. Facts that could not be checked against a primary
 * source are marked "unverified" in the notes, as in docs/formats.md. */
#include "tl_internal.h"

#define SPLITS(a) a, TL_ARRAY_LEN(a)

static const tl_known_split ic13[] = {
	{ "train", "Challenge2_Training_Task12_Images|train_images|ch2_training_images",
	  "{N}.jpg", "Challenge2_Training_Task1_GT|train_gt|train_gts", "gt_{N}.txt|{N}.jpg.txt",
	  100, 229, 0, "icdar2013" },
	{ "test", "Challenge2_Test_Task12_Images|test_images|ch2_test_images", "img_{N}.jpg",
	  "Challenge2_Test_Task1_GT|Challenge2_Test_Task1_GT.zip|test_gt|test_gts",
	  "gt_img_{N}.txt|img_{N}.jpg.txt", 1, 233, 1095, "icdar2013" },
};

static const tl_known_split ic15[] = {
	{ "train", "ch4_training_images|train_images|imgs/training|training_images",
	  "img_{N}.jpg",
	  "ch4_training_localization_transcription_gt|ch4_training_localization_transcription_gt.zip|"
	  "train_gt|train_gts|annotations/training",
	  "gt_img_{N}.txt|img_{N}.jpg.txt|img_{N}.txt", 1, 1000, 11886, "icdar2015" },
	{ "test", "ch4_test_images|test_images|imgs/test", "img_{N}.jpg",
	  "Challenge4_Test_Task1_GT|Challenge4_Test_Task1_GT.zip|test_gt|test_gt.zip|test_gts|"
	  "annotations/test",
	  "gt_img_{N}.txt|img_{N}.jpg.txt|img_{N}.txt", 1, 500, 5230, "icdar2015" },
};

static const tl_known_split mlt17[] = {
	{ "train", "ch8_training_images|train_images|training_images", "img_{N}.jpg",
	  "ch8_training_localization_transcription_gt_v2|ch8_training_gt|train_gt|train_gts",
	  "gt_img_{N}.txt", 1, 7200, 0, "mlt" },
	{ "validation", "ch8_validation_images|val_images|validation_images", "img_{N}.jpg",
	  "ch8_validation_localization_transcription_gt_v2|ch8_validation_gt|val_gt|val_gts",
	  "gt_img_{N}.txt", 1, 1800, 0, "mlt" },
};

static const tl_known_split mlt19[] = {
	{ "train", "ImagesPart1|ImagesPart2|train_images|TrainImages", "tr_img_{N5}.jpg",
	  "train_gt_t13|train_gt|train_gts", "tr_img_{N5}.txt|gt_img_{N5}.txt", 1, 10000, 0,
	  "mlt" },
	{ "test", "ImagesTest|test_images", "ts_img_{N5}.jpg", "", NULL, 1, 10000, 0, "mlt" },
};

static const tl_known_split totaltext[] = {
	{ "train", "Images/Train|train_images", "img{N}.jpg",
	  "train_gts|Groundtruth/Text/Train|Txts/Train", "img{N}.jpg.txt|poly_gt_img{N}.txt", -1,
	  1255, 0, "totaltext" },
	{ "test", "Images/Test|test_images", "img{N}.jpg",
	  "test_gts|Groundtruth/Text/Test|Txts/Test", "img{N}.jpg.txt|poly_gt_img{N}.txt", -1, 300,
	  2546, "totaltext" },
};

static const tl_known_split ctw1500[] = {
	{ "train", "train_images|ctw1500_train_images|train/text_image", "{N4}.jpg",
	  "ctw1500_train_labels|train_labels|train/text_label_curve", "{N4}.xml|{N4}.txt", 1, 1000,
	  0, "ctw1500-xml" },
	{ "test", "test_images|ctw1500_test_images|test/text_image", "{N4}.jpg",
	  "test_labels|gt_ctw1500|ctw1500_test_labels|test/text_label_curve",
	  "000{N4}.txt|{N4}.txt", 1001, 500, 0, "ctw1500" },
};

static const tl_known_split msra[] = {
	{ "train", "train|MSRA-TD500/train", "IMG_{N4}.JPG", "train|MSRA-TD500/train",
	  "IMG_{N4}.gt", -1, 300, 0, "msra-td500" },
	{ "test", "test|MSRA-TD500/test|.", "IMG_{N4}.JPG", "test|MSRA-TD500/test|.",
	  "IMG_{N4}.gt", -1, 200, 0, "msra-td500" },
};

static const tl_known_split cocotext[] = {
	{ "train", "train2014|images/train2014", "COCO_train2014_{N12}.jpg",
	  "cocotext.v2.json|annotations/cocotext.v2.json", NULL, -1, 0, 0, "cocotext" },
};

static const tl_known_split textocr[] = {
	{ "train", "train_images|train", "{S}.jpg", "TextOCR_0.1_train.json", NULL, -1, 21778, 0,
	  "textocr" },
	{ "validation", "train_images|train", "{S}.jpg", "TextOCR_0.1_val.json", NULL, -1, 3124,
	  0, "textocr" },
};

static const tl_known_split hiertext[] = {
	{ "train", "train", "{S}.jpg", "gt/train.jsonl|gt/train.json", NULL, -1, 8281, 0,
	  "hiertext" },
	{ "validation", "validation", "{S}.jpg", "gt/validation.jsonl|gt/validation.json", NULL,
	  -1, 1724, 0, "hiertext" },
};

static const tl_known_split art[] = {
	{ "train", "train_images", "gt_{N}.jpg", "train_labels.json", NULL, 0, 5603, 0, "art" },
};

static const tl_known_split lsvt[] = {
	{ "train", "train_full_images_0|train_full_images_1|train_full_images", "gt_{N}.jpg",
	  "train_full_labels.json", NULL, 0, 30000, 0, "lsvt" },
};

static const tl_known_split rects[] = {
	{ "train", "ReCTS_train_images|train/img|img", "train_ReCTS_{N6}.jpg",
	  "ReCTS_train_gt|train/gt|gt", "train_ReCTS_{N6}.json", 1, 20000, 0, "rects" },
};

static const tl_known_split sroie[] = {
	{ "train", "0325updated.task1train(626p)|img|train/img", "{S}.jpg",
	  "0325updated.task1train(626p)|box|train/box", "{S}.txt|{S}.csv", -1, 626, 0, "sroie" },
	{ "test", "task1&2_test(361p)|test/img", "{S}.jpg", "text.task1&2-test（361p)|test/box",
	  "{S}.txt|{S}.csv", -1, 361, 0, "sroie" },
};

static const tl_known_split wildreceipt[] = {
	{ "train", "image_files|.", "{S}.jpeg", "train.txt", NULL, -1, 0, 0, "wildreceipt" },
	{ "test", "image_files|.", "{S}.jpeg", "test.txt", NULL, -1, 0, 0, "wildreceipt" },
};

static const tl_known_split ufo_ic17ko[] = {
	{ "train", "img/train|images|img", "{S}.jpg", "ufo/train.json", NULL, -1, 536, 4078,
	  "ufo" },
};

static const tl_known_dataset known[] = {
	{ "icdar2013", "ic13|icdar13", "ICDAR 2013 Focused Scene Text (Challenge 2, task 2.1)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=2",
	  "RECT, inclusive pixel indices; train GT space-separated, test GT comma-separated. "
	  "The test count 1095 is that of the copy shipped with CLEval; the train region count "
	  "is unverified.",
	  SPLITS(ic13) },
	{ "icdar2015", "ic15|icdar15", "ICDAR 2015 Incidental Scene Text (Challenge 4, task 4.1)",
	  "CC BY 4.0", "https://rrc.cvc.uab.es/?ch=4",
	  "1280x720 images; QUAD + text, ### = don't care (3153 of the 5230 test regions, "
	  "7418 of the 11886 train regions). Re-distributions name the train GT img_N.jpg.txt.",
	  SPLITS(ic15) },
	{ "mlt2017", "mlt17|rrc-mlt-2017", "ICDAR 2017 Multi-Lingual Text (RRC-MLT-2017, task 1)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=8",
	  "9 languages x 800 training images; script field before the text. Test naming "
	  "unverified.",
	  SPLITS(mlt17) },
	{ "mlt2019", "mlt19|rrc-mlt-2019", "ICDAR 2019 Multi-Lingual Text (RRC-MLT-2019)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=15",
	  "10 languages x 1000 training images in blocks; GT tr_img_NNNNN.txt without gt_; "
	  "the test set has no public GT.",
	  SPLITS(mlt19) },
	{ "totaltext", "total-text|tt", "Total-Text (curved text)", "BSD-3-Clause",
	  "https://github.com/cs-chan/Total-Text-Dataset",
	  "Polygons of 3-20+ points; image numbers are not contiguous. Folders follow the DB "
	  "re-distribution (train_gts/img N.jpg.txt) or the original (Groundtruth/Text).",
	  SPLITS(totaltext) },
	{ "ctw1500", "scut-ctw1500", "SCUT-CTW1500 (curved text lines)", "research use",
	  "https://github.com/Yuliang-Liu/Curve-Text-Detector",
	  "14-point polygons; train labels are XML, the test GT with transcriptions is "
	  "000NNNN.txt (mmocr naming).",
	  SPLITS(ctw1500) },
	{ "msra-td500", "msra|td500", "MSRA-TD500 (multi-oriented Chinese and English lines)",
	  "research use",
	  "http://www.iapr-tc11.org/mediawiki/index.php/MSRA_Text_Detection_500_Database_(MSRA-TD500)",
	  "Images and .gt side by side; upper-case .JPG; RBOX in radians; no transcriptions; "
	  "image numbers are not contiguous.",
	  SPLITS(msra) },
	{ "cocotext", "coco-text", "COCO-Text v2", "CC BY 4.0 (annotations); COCO images",
	  "https://bgshih.github.io/cocotext/",
	  "One JSON for all splits (set: train/val per image) over MS-COCO train2014 images; "
	  "image count per split is in the JSON.",
	  SPLITS(cocotext) },
	{ "textocr", NULL, "TextOCR (arbitrary-shaped text on OpenImages)",
	  "CC BY 4.0 (annotations); OpenImages images", "https://textvqa.org/textocr/",
	  "Validation images live in the train_images folder too; utf8_string \".\" = "
	  "don't care. Image counts as published by the authors (unverified here).",
	  SPLITS(textocr) },
	{ "hiertext", NULL, "HierText (words, lines, paragraphs)", "CC BY-SA 4.0",
	  "https://github.com/google-research-datasets/hiertext",
	  "gt/*.jsonl.gz hold one JSON object each: gunzip them first. Long side <= 1600 px.",
	  SPLITS(hiertext) },
	{ "art", "art2019|icdar2019-art", "ICDAR 2019 Arbitrary-Shaped Text (ArT)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=14",
	  "One train_labels.json keyed gt_N; some polygons are invalid (mmocr issue 1104).",
	  SPLITS(art) },
	{ "lsvt", "lsvt2019", "ICDAR 2019 Large-scale Street View Text (LSVT)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=16",
	  "The fully annotated part only; the weak part has no geometry.", SPLITS(lsvt) },
	{ "rects", "rects2019", "ICDAR 2019 Reading Chinese Text on Signboards (ReCTS)",
	  "research use; registration at the Robust Reading Competition site",
	  "https://rrc.cvc.uab.es/?ch=12",
	  "One JSON per image; detection uses lines, ignore 1 = don't care. Folder names "
	  "unverified.",
	  SPLITS(rects) },
	{ "sroie", "sroie2019", "ICDAR 2019 Scanned Receipts OCR and Information Extraction",
	  "CC BY 4.0", "https://rrc.cvc.uab.es/?ch=13",
	  "Task 1 word boxes: QUAD + raw text per line, odd encodings in places. Official files "
	  "are X<digits>.jpg/.txt side by side; re-distributions use img/ + box/*.csv.",
	  SPLITS(sroie) },
	{ "wildreceipt", NULL, "WildReceipt (mmocr key information extraction)",
	  "not stated here: see the source", "https://download.openmmlab.com/mmocr/data/wildreceipt.tar",
	  "JSON lines with boxes wound bottom-left first; image counts per split unverified.",
	  SPLITS(wildreceipt) },
	{ "ufo-icdar17-korean", "ufo-ic17ko", "ICDAR 2017 MLT Korean images in UFO (boostcamp)",
	  "CC-BY-SA (the file's own license_tag)",
	  "https://rrc.cvc.uab.es/?ch=8",
	  "UFO words of the Korean MLT 2017 images; the images themselves come from MLT 2017.",
	  SPLITS(ufo_ic17ko) },
};

size_t tl_known_dataset_count(void) { return TL_ARRAY_LEN(known); }

const tl_known_dataset *tl_known_dataset_at(size_t i)
{
	return i < TL_ARRAY_LEN(known) ? &known[i] : NULL;
}

static int in_list(const char *name, const char *list)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t k = bar ? (size_t)(bar - p) : strlen(p);
		if (k == n && !strncmp(p, name, n))
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

const tl_known_dataset *tl_known_dataset_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < TL_ARRAY_LEN(known); i++)
		if (!strcmp(known[i].name, name) || in_list(name, known[i].aliases))
			return &known[i];
	return NULL;
}

const tl_known_split *tl_known_split_find(const tl_known_dataset *kd, const char *split)
{
	if (!kd || !split)
		return NULL;
	for (size_t i = 0; i < kd->nsplits; i++)
		if (!strcmp(kd->splits[i].name, split) ||
		    (!strcmp(split, "val") && !strcmp(kd->splits[i].name, "validation")))
			return &kd->splits[i];
	return NULL;
}
