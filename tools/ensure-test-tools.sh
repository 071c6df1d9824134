#!/usr/bin/env bash
# System programs the test suite drives: Debian's Chromium and a Cyrillic font for it (browser tests through
# Playwright; never a downloaded browser), poppler-utils (pdftoppm turns generated PDFs into PNG pages for a
# person to look at) and PostgreSQL (the SQL source adapter is tested against a real server). Installed when missing and we are root with apt (CI runs as root on a clean machine); otherwise the
# tests that need them say so and skip.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_ctl >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Устанавливаю для тестов: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
        || echo "Не удалось установить ${need[*]}: тесты, которым они нужны, будут пропущены." >&2
else
    echo "Нет ${need[*]} (нужны права root для apt-get): тесты, которым они нужны, будут пропущены." >&2
fi
exit 0
