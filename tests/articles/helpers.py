"""Building odd article files and zips for the importer's tests."""

import io
import zipfile

from django.conf import settings

from articles.importing import articles_import
from articles.models import ImportBatch
from articles.sources import sources_from_uploads

SEEDS = settings.BASE_DIR / "seeds"

RUSSIAN = (
    "Пресс-секретарь Кремля Дмитрий Песков заявил, что ему ничего не известно о планах "
    'президента поздравить Трампа с победой на выборах. "Давайте не будем забывать, что речь '
    'идет о недружественной стране, которая прямо и косвенно участвует в войне", - добавил он.'
)
UKRAINIAN = (
    "Російський диктатор Володимир Путін та інші члени його команди нібито приватно "
    "привітали республіканця Дональда Трампа з перемогою на президентських виборах у США. "
    'Про це повідомляє видання "Вьорстка", посилаючись на джерела, близькі до Кремля.'
)
FRENCH = (
    "Le Kremlin a déclaré que Vladimir Poutine n'avait pas l'intention de féliciter Donald "
    "Trump. « Ce n'est pas vrai », a répondu le porte-parole à la presse étrangère, "
    "précisant que les relations étaient au plus bas."
)


def import_files(*files, user=None, via=ImportBatch.Via.ADMIN):
    """Import (name, bytes) pairs through the service, as an upload would."""
    uploads = [(name, io.BytesIO(data)) for name, data in files]
    return articles_import(sources=sources_from_uploads(uploads), via=via, user=user)


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def declare_size(zip_bytes: bytes, size: int) -> bytes:
    """The zip with its first central-directory entry claiming ``size`` uncompressed bytes
    (the data itself is untouched: only an importer that trusts the directory is stopped)."""
    at = zip_bytes.index(b"PK\x01\x02") + 24
    return zip_bytes[:at] + size.to_bytes(4, "little") + zip_bytes[at + 4 :]
