"""Where uploads live in production: a private bucket of any S3-compatible store (AWS S3, R2, MinIO, ...).

Nothing in the bucket is public and no URL points into it: branding images are served by `portal.views.
media_file` (which serves `branding/` only) and resumes by the API after its permission check, exactly as with
the file system storage. So `url()` is the app's own media URL, never a presigned or public bucket URL."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateBucketStorage(S3Storage):
    default_acl = None  # the bucket's own policy (private), never a per-object public ACL
    file_overwrite = False  # a new upload never replaces another's file of the same name
    querystring_auth = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
