# A container image with nothing but sasguard's static binary (FROM scratch):
# for CI jobs that pipe a diff in, or scan files mounted at /src.
#
#   make                                   # the static ./sasguard first
#   docker build -t sasguard .
#   git diff origin/main... | docker run --rm -i sasguard
#   docker run --rm -v "$PWD:/src:ro" sasguard --files /src
#
# UNTESTED: no image builder runs on this project's machines, so no test
# builds or runs this image. What the tests do check is its premise: the
# binary is static (tests/e2e/deb.t), so it needs no libc in the image.
# The image has no git and no shell: the hook commands (pre-commit,
# pre-receive) need git and do not work in it.
FROM scratch
COPY sasguard /usr/bin/sasguard
COPY rules/default.ini /usr/share/sasguard/default.ini
ENTRYPOINT ["/usr/bin/sasguard"]
