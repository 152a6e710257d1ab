from byline.imports.management.commands._common import ImportCommand
from byline.imports.wordpress import WordPressImporter


class Command(ImportCommand):
    help = (
        "Import a WordPress export (WXR 1.0–1.2): authors, categories, tags, posts, old addresses, "
        "comments. "
        "Running it again changes nothing; a file that fails leaves the database as it was."
    )
    importer_class = WordPressImporter
    file_help = "The XML file from WordPress's Tools → Export → All content."
