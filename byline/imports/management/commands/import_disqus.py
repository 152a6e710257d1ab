from byline.imports.disqus import DisqusImporter
from byline.imports.management.commands._common import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Disqus export: each thread's comments under the article it was written for, with names, "
        "dates, replies, deleted and spam flags. Running it again changes nothing."
    )
    importer_class = DisqusImporter
    file_help = "The XML file Disqus sends from Admin → Moderation → Export."
