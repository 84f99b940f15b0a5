#!/usr/bin/env bash
# Deploys moviebot to Google Cloud Run: builds the image with Cloud Build into Artifact Registry,
# stores the secrets of a local .env in Secret Manager, creates a least-privilege service account,
# and deploys two services from the one image:
#   bot     HTTP endpoints for Slack and Discord; request-based billing, concurrency 80
#   worker  BullMQ consumer; instance-based billing (--no-cpu-throttling), min 1 instance
# Both reach Memorystore Redis over Direct VPC egress. manifests/cloud-run-*.yaml hold the same
# settings as Knative YAML (`--render-manifests DIR` fills in their placeholders).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./deploy.sh [options]

Deploys moviebot (bot + worker) to Google Cloud Run. Every option can also come from the
environment variable named in brackets.

  --project ID            Google Cloud project [PROJECT_ID, GOOGLE_CLOUD_PROJECT] (required)
  --region REGION         Cloud Run, Artifact Registry and subnet region [REGION] (us-central1)
  --repository NAME       Artifact Registry Docker repository, created if missing [REPOSITORY] (moviebot)
  --bot-service NAME      Cloud Run service for the HTTP endpoints [BOT_SERVICE] (moviebot)
  --worker-service NAME   Cloud Run service for the BullMQ worker [WORKER_SERVICE] (moviebot-worker)
  --service-account NAME  runtime service account, created if missing [SERVICE_ACCOUNT] (moviebot-runtime)
  --tag TAG               image tag [IMAGE_TAG] (git short commit, else a UTC timestamp)
  --image REF             deploy this image instead of <repository>/moviebot:<tag> [IMAGE]
  --skip-build            do not build; deploy the existing image
  --env-file PATH         settings to deploy [ENV_FILE] (.env)
  --network NAME          VPC network of Memorystore [NETWORK] (default)
  --subnet NAME           subnet in REGION for Direct VPC egress [SUBNET] (default)
  --redis-url URL         Memorystore Redis, e.g. redis://10.0.0.3:6379 [REDIS_URL, or the env file]
  --secret-prefix PREFIX  prefix of the Secret Manager secret ids [SECRET_PREFIX] (moviebot-)
  --render-manifests DIR  write manifests/*.yaml with the placeholders filled in to DIR, then exit
  --dry-run               print every command instead of running it (secret values as <redacted>)
  -h, --help              show this help

The member database must be PostgreSQL: DATABASE_URL=postgres://user:password@host/db in the env
file (Cloud SQL for PostgreSQL, reached over the same Direct VPC egress at its private IP). SQLite
is for one machine: Cloud Run's disk is memory, and instances come and go.

From the env file, SLACK_*, DISCORD_*, TMDB_*, ELASTICSEARCH_*, METRICS_TOKEN, DATABASE_URL and
SESSION_SECRET become Secret Manager secrets (<prefix><name in kebab case>, mounted as environment
variables; SESSION_SECRET is generated once when the env file has none, so every instance signs
the web page's cookies alike); the other settings become plain
environment variables (except PORT, which Cloud Run sets, and local paths such as MOVIELENS_DIR).
BIGQUERY_PROJECT, BIGQUERY_DATASET and BIGQUERY_LOCATION (env file or environment) decide the
BigQuery roles: jobUser on the project and dataViewer on that dataset only.
EOF
}

die() {
  echo "deploy.sh: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Options: flags win over the environment, which wins over the defaults.
PROJECT_ID=${PROJECT_ID:-${GOOGLE_CLOUD_PROJECT:-}}
REGION=${REGION:-us-central1}
REPOSITORY=${REPOSITORY:-moviebot}
BOT_SERVICE=${BOT_SERVICE:-moviebot}
WORKER_SERVICE=${WORKER_SERVICE:-moviebot-worker}
SERVICE_ACCOUNT=${SERVICE_ACCOUNT:-moviebot-runtime}
IMAGE_TAG=${IMAGE_TAG:-}
IMAGE=${IMAGE:-}
ENV_FILE=${ENV_FILE:-.env}
NETWORK=${NETWORK:-default}
SUBNET=${SUBNET:-default}
REDIS_URL_FLAG=${REDIS_URL:-}
SECRET_PREFIX=${SECRET_PREFIX:-moviebot-}
RENDER_DIR=""
SKIP_BUILD=0
DRY_RUN=0

need_value() {
  [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

while [[ $# -gt 0 ]]; do
  # --name=value is --name value
  if [[ $1 == --*=* ]]; then set -- "${1%%=*}" "${1#*=}" "${@:2}"; fi
  case $1 in
  --project) need_value "$@"; PROJECT_ID=$2; shift 2 ;;
  --region) need_value "$@"; REGION=$2; shift 2 ;;
  --repository) need_value "$@"; REPOSITORY=$2; shift 2 ;;
  --bot-service) need_value "$@"; BOT_SERVICE=$2; shift 2 ;;
  --worker-service) need_value "$@"; WORKER_SERVICE=$2; shift 2 ;;
  --service-account) need_value "$@"; SERVICE_ACCOUNT=$2; shift 2 ;;
  --tag) need_value "$@"; IMAGE_TAG=$2; shift 2 ;;
  --image) need_value "$@"; IMAGE=$2; shift 2 ;;
  --skip-build) SKIP_BUILD=1; shift ;;
  --env-file) need_value "$@"; ENV_FILE=$2; shift 2 ;;
  --network) need_value "$@"; NETWORK=$2; shift 2 ;;
  --subnet) need_value "$@"; SUBNET=$2; shift 2 ;;
  --redis-url) need_value "$@"; REDIS_URL_FLAG=$2; shift 2 ;;
  --secret-prefix) need_value "$@"; SECRET_PREFIX=$2; shift 2 ;;
  --render-manifests) need_value "$@"; RENDER_DIR=$2; shift 2 ;;
  --dry-run) DRY_RUN=1; shift ;;
  -h | --help) usage; exit 0 ;;
  *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ -n $PROJECT_ID ]] || die "no project: pass --project or set PROJECT_ID"
if [[ -z $IMAGE_TAG ]]; then
  IMAGE_TAG=$(git rev-parse --short HEAD 2>/dev/null || date -u +%Y%m%d%H%M%S)
fi
SA_EMAIL="$SERVICE_ACCOUNT@$PROJECT_ID.iam.gserviceaccount.com"
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# ---------------------------------------------------------------------------------------------
# Service settings, shared with manifests/cloud-run-*.yaml (tests/deploy checks they agree).
CONCURRENCY=80
BOT_MIN_INSTANCES=0
BOT_MAX_INSTANCES=10
WORKER_MIN_INSTANCES=1
WORKER_MAX_INSTANCES=3
CPU=1
MEMORY=1Gi
REQUEST_TIMEOUT=60
VPC_EGRESS=private-ranges-only
# First start may download MovieLens and build the search index: allow up to 5 minutes.
STARTUP_PROBE=httpGet.path=/healthz,initialDelaySeconds=0,periodSeconds=5,timeoutSeconds=3,failureThreshold=60
LIVENESS_PROBE=httpGet.path=/healthz,periodSeconds=30,timeoutSeconds=5,failureThreshold=3
WORKER_ENTRY=dist/bot/worker.js

# ---------------------------------------------------------------------------------------------
# Running commands: `run` prints each command (shell-quoted, copy-pastable) and runs it unless
# --dry-run. Secret values never go through argv or the output: `run_with_secret` feeds them on
# stdin and prints <redacted> in their place.
print_command() {
  local quoted
  printf -v quoted '%q ' "$@"
  echo "+ ${quoted% }"
}

run() {
  print_command "$@"
  if [[ $DRY_RUN -eq 0 ]]; then "$@"; fi
}

run_with_secret() {
  local value=$1
  shift
  local quoted
  printf -v quoted '%q ' "$@"
  echo "+ printf '%s' <redacted> | ${quoted% }"
  if [[ $DRY_RUN -eq 0 ]]; then printf '%s' "$value" | "$@"; fi
}

# Read-only checks (does it exist?). A dry run runs nothing, so it assumes "no" and shows the
# commands that would create the resource.
exists() {
  if [[ $DRY_RUN -eq 1 ]]; then
    local quoted
    printf -v quoted '%q ' "$@"
    echo "# dry run: assuming this finds nothing: ${quoted% }"
    return 1
  fi
  "$@" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# The env file: KEY=VALUE lines, `#` comments, optional `export` and quotes. Parsed, never sourced
# (sourcing would execute it).
declare -A SETTINGS=()
SETTING_NAMES=()

read_env_file() {
  local file=$1 line key value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"[[:space:]]*$ || $value =~ ^\'(.*)\'[[:space:]]*$ ]]; then
      value=${BASH_REMATCH[1]}
    else
      value=${value%%[[:space:]]#*} # an unquoted value ends at a comment
      value=${value%"${value##*[![:space:]]}"}
    fi
    [[ -n $value ]] || continue
    [[ -v "SETTINGS[$key]" ]] || SETTING_NAMES+=("$key")
    SETTINGS[$key]=$value
  done <"$file"
}

setting() {
  if [[ -v "SETTINGS[$1]" ]]; then echo "${SETTINGS[$1]}"; else echo "${2:-}"; fi
}

# SLACK_SIGNING_SECRET -> moviebot-slack-signing-secret
secret_id() {
  local name=${1,,}
  echo "$SECRET_PREFIX${name//_/-}"
}

is_secret() {
  [[ $1 =~ ^(SLACK|DISCORD|TMDB|ELASTICSEARCH)_ || $1 =~ ^(METRICS_TOKEN|DATABASE_URL|SESSION_SECRET)$ ]]
}

# Set by Cloud Run (PORT); by this script (REDIS_URL, RUN_WORKER per service, and the BigQuery
# location it granted roles on); or meaningful only where the env file lives (local paths; on
# Cloud Run the service account replaces a key file).
is_deploy_managed() {
  [[ $1 =~ ^(PORT|HOST|TRUST_PROXY_HOPS|REDIS_URL|RUN_WORKER|MOVIELENS_DIR|CACHE_DIR|GOOGLE_APPLICATION_CREDENTIALS)$ ]] ||
    [[ $1 =~ ^BIGQUERY_(PROJECT|DATASET|LOCATION)$ ]]
}

read_env_file "$ENV_FILE"
REDIS_URL=${REDIS_URL_FLAG:-$(setting REDIS_URL)}
BIGQUERY_PROJECT=${BIGQUERY_PROJECT:-$(setting BIGQUERY_PROJECT "$PROJECT_ID")}
BIGQUERY_DATASET=${BIGQUERY_DATASET:-$(setting BIGQUERY_DATASET)}
BIGQUERY_LOCATION=${BIGQUERY_LOCATION:-$(setting BIGQUERY_LOCATION US)}

# Where images of the repository go (<region>-docker.<registry host>/<project>/<repository>), as
# Artifact Registry reports it.
repository_uri() {
  gcloud artifacts repositories describe "$REPOSITORY" --project="$PROJECT_ID" \
    --location="$REGION" --format='value(registryUri)'
}

# ---------------------------------------------------------------------------------------------
# --render-manifests: the Knative YAML with ${PLACEHOLDER}s filled in, for
# `gcloud run services replace`.
render_manifests() {
  local out=$1 file name content
  if [[ -z $IMAGE ]] && command -v gcloud >/dev/null; then
    IMAGE="$(repository_uri)/moviebot:$IMAGE_TAG"
  fi
  [[ -n $IMAGE ]] || die "--render-manifests needs --image REF (or gcloud, to look the repository up)"
  mkdir -p "$out"
  local -A values=(
    [PROJECT_ID]=$PROJECT_ID [REGION]=$REGION [IMAGE]=$IMAGE [SERVICE_ACCOUNT]=$SA_EMAIL
    [BOT_SERVICE]=$BOT_SERVICE [WORKER_SERVICE]=$WORKER_SERVICE [NETWORK]=$NETWORK
    [SUBNET]=$SUBNET [REDIS_URL]=${REDIS_URL:-redis://REDIS_HOST:6379}
    [BIGQUERY_PROJECT]=$BIGQUERY_PROJECT [BIGQUERY_DATASET]=$BIGQUERY_DATASET
    [BIGQUERY_LOCATION]=$BIGQUERY_LOCATION [SECRET_PREFIX]=$SECRET_PREFIX
  )
  # Embedded search and recommender by default; Elasticsearch and BigQuery have their own variant.
  local source=manifests
  if [[ $(setting SEARCH_BACKEND) == elasticsearch || $(setting RECOMMENDER_BACKEND) == bigquery ]]; then
    source=manifests/cloud-backends
  fi
  for file in "$SCRIPT_DIR/$source"/cloud-run-*.yaml; do
    # The header comments document the placeholders; the rendered copy drops them.
    content=$(grep -v '^#' "$file")
    content="# Rendered by deploy.sh from $source/$(basename "$file")"$'\n'$content
    for name in "${!values[@]}"; do
      content=${content//"\${$name}"/${values[$name]}}
    done
    printf '%s\n' "$content" >"$out/$(basename "$file")"
    echo "wrote $out/$(basename "$file")"
  done
}

if [[ -n $RENDER_DIR ]]; then
  render_manifests "$RENDER_DIR"
  exit 0
fi

[[ -n $REDIS_URL ]] || die "no Redis: pass --redis-url redis://<memorystore ip>:6379 or set REDIS_URL"
if [[ $REDIS_URL =~ ^rediss?://(localhost|127\.) ]]; then
  die "REDIS_URL points at this machine ($REDIS_URL); pass --redis-url with the Memorystore address"
fi
# Members' likes must outlive an instance: SQLite on Cloud Run's in-memory disk would lose them.
DATABASE_URL=$(setting DATABASE_URL)
if [[ ! $DATABASE_URL =~ ^postgres(ql)?:// ]]; then
  die "DATABASE_URL must be postgres://… on Cloud Run (Cloud SQL for PostgreSQL, private IP); SQLite is for one machine"
fi

# ---------------------------------------------------------------------------------------------
step() { echo; echo "== $*"; }

check_gcloud() {
  step "Checking gcloud and its login"
  if [[ $DRY_RUN -eq 0 ]]; then
    command -v gcloud >/dev/null || die "gcloud not found: install the Google Cloud CLI"
    if [[ -n $BIGQUERY_DATASET ]]; then
      command -v bq >/dev/null || die "bq not found (part of the Google Cloud CLI)"
    fi
  fi
  print_command gcloud auth list --filter=status:ACTIVE --format='value(account)'
  if [[ $DRY_RUN -eq 0 ]]; then
    local account
    account=$(gcloud auth list --filter=status:ACTIVE --format='value(account)')
    [[ -n $account ]] || die "not logged in: run 'gcloud auth login'"
    echo "logged in as $account"
  fi
}

enable_apis() {
  step "Enabling the APIs"
  run gcloud services enable --project="$PROJECT_ID" \
    run.googleapis.com artifactregistry.googleapis.com cloudbuild.googleapis.com \
    secretmanager.googleapis.com iam.googleapis.com bigquery.googleapis.com compute.googleapis.com \
    redis.googleapis.com
}

build_image() {
  step "Artifact Registry repository $REPOSITORY"
  if ! exists gcloud artifacts repositories describe "$REPOSITORY" \
    --project="$PROJECT_ID" --location="$REGION"; then
    run gcloud artifacts repositories create "$REPOSITORY" --project="$PROJECT_ID" \
      --location="$REGION" --repository-format=docker --description="moviebot images"
  fi
  if [[ -z $IMAGE ]]; then
    local registry="<repository uri>"
    if [[ $DRY_RUN -eq 0 ]]; then registry=$(repository_uri); fi
    IMAGE="$registry/moviebot:$IMAGE_TAG"
  fi
  if [[ $SKIP_BUILD -eq 1 ]]; then
    echo "skipping the build; deploying $IMAGE"
    return
  fi
  step "Building $IMAGE with Cloud Build"
  run gcloud builds submit "$SCRIPT_DIR" --project="$PROJECT_ID" --tag="$IMAGE"
}

create_service_account() {
  step "Service account $SA_EMAIL"
  if ! exists gcloud iam service-accounts describe "$SA_EMAIL" --project="$PROJECT_ID"; then
    run gcloud iam service-accounts create "$SERVICE_ACCOUNT" --project="$PROJECT_ID" \
      --display-name="moviebot on Cloud Run"
  fi
  if [[ -z $BIGQUERY_DATASET ]]; then
    echo "BIGQUERY_DATASET is not set: no BigQuery roles granted"
    return
  fi
  # Only what serving needs: run query jobs, and read the one dataset holding the model.
  run gcloud projects add-iam-policy-binding "$BIGQUERY_PROJECT" \
    --member="serviceAccount:$SA_EMAIL" --role=roles/bigquery.jobUser --condition=None --quiet
  run bq query --project_id="$BIGQUERY_PROJECT" --location="$BIGQUERY_LOCATION" \
    --use_legacy_sql=false \
    "GRANT \`roles/bigquery.dataViewer\` ON SCHEMA \`$BIGQUERY_PROJECT.$BIGQUERY_DATASET\` TO \"serviceAccount:$SA_EMAIL\""
}

SECRET_FLAGS=()
store_secrets() {
  step "Secret Manager secrets from $ENV_FILE"
  local name id value changed
  for name in "${SETTING_NAMES[@]}"; do
    is_secret "$name" || continue
    id=$(secret_id "$name")
    value=${SETTINGS[$name]}
    changed=1
    if ! exists gcloud secrets describe "$id" --project="$PROJECT_ID"; then
      run gcloud secrets create "$id" --project="$PROJECT_ID" --replication-policy=automatic
    elif [[ $(gcloud secrets versions access latest --secret="$id" --project="$PROJECT_ID" 2>/dev/null || true) == "$value" ]]; then
      # Unchanged: no new version, so redeploying does not pile up identical versions.
      echo "$id is up to date"
      changed=0
    fi
    if [[ $changed -eq 1 ]]; then
      run_with_secret "$value" gcloud secrets versions add "$id" --project="$PROJECT_ID" --data-file=-
    fi
    run gcloud secrets add-iam-policy-binding "$id" --project="$PROJECT_ID" \
      --member="serviceAccount:$SA_EMAIL" --role=roles/secretmanager.secretAccessor --quiet
    SECRET_FLAGS+=("$name=$id:latest")
  done
  if [[ ${#SECRET_FLAGS[@]} -eq 0 ]]; then
    echo "no SLACK_*, DISCORD_*, TMDB_* or ELASTICSEARCH_* settings in $ENV_FILE"
  fi
  ensure_session_secret
}

# The web page's cookies are signed with SESSION_SECRET; every instance must share one, so an env
# file without it gets one generated once in Secret Manager and reused by every later deploy.
ensure_session_secret() {
  if [[ -v "SETTINGS[SESSION_SECRET]" ]]; then return; fi
  local id
  id=$(secret_id SESSION_SECRET)
  if ! exists gcloud secrets describe "$id" --project="$PROJECT_ID"; then
    run gcloud secrets create "$id" --project="$PROJECT_ID" --replication-policy=automatic
    run_with_secret "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
      gcloud secrets versions add "$id" --project="$PROJECT_ID" --data-file=-
  else
    echo "$id exists: the web page keeps its members"
  fi
  run gcloud secrets add-iam-policy-binding "$id" --project="$PROJECT_ID" \
    --member="serviceAccount:$SA_EMAIL" --role=roles/secretmanager.secretAccessor --quiet
  SECRET_FLAGS+=("SESSION_SECRET=$id:latest")
}

# Plain settings go through an env-vars file (YAML), so values may hold commas and quotes.
ENV_DIR=$(mktemp -d)
trap 'rm -rf "$ENV_DIR"' EXIT

yaml_quote() {
  local value=${1//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

write_env_vars_file() {
  local file=$1 run_worker=$2 name
  {
    echo "REDIS_URL: $(yaml_quote "$REDIS_URL")"
    echo "RUN_WORKER: $(yaml_quote "$run_worker")"
    # Cloud Run's front end is the one proxy: X-Forwarded-For names the client (rate limit).
    echo "TRUST_PROXY_HOPS: \"1\""
    if [[ -n $BIGQUERY_DATASET ]]; then
      echo "BIGQUERY_PROJECT: $(yaml_quote "$BIGQUERY_PROJECT")"
      echo "BIGQUERY_DATASET: $(yaml_quote "$BIGQUERY_DATASET")"
      echo "BIGQUERY_LOCATION: $(yaml_quote "$BIGQUERY_LOCATION")"
    fi
    for name in "${SETTING_NAMES[@]}"; do
      if is_secret "$name" || is_deploy_managed "$name"; then continue; fi
      echo "$name: $(yaml_quote "${SETTINGS[$name]}")"
    done
  } >"$file"
  echo "# $file:"
  sed 's/^/#   /' "$file"
}

deploy_services() {
  local secrets_flag=()
  if [[ ${#SECRET_FLAGS[@]} -gt 0 ]]; then
    local joined
    joined=$(IFS=,; echo "${SECRET_FLAGS[*]}")
    secrets_flag=(--set-secrets="$joined")
  fi
  local common=(
    --project="$PROJECT_ID" --region="$REGION" --image="$IMAGE"
    --service-account="$SA_EMAIL" --concurrency="$CONCURRENCY" --cpu="$CPU" --memory="$MEMORY"
    --timeout="$REQUEST_TIMEOUT" --cpu-boost
    --network="$NETWORK" --subnet="$SUBNET" --vpc-egress="$VPC_EGRESS"
    --startup-probe="$STARTUP_PROBE" --liveness-probe="$LIVENESS_PROBE"
    "${secrets_flag[@]}"
  )

  step "Deploying the bot ($BOT_SERVICE)"
  # The bot only enqueues (RUN_WORKER=false); Slack and Discord call it, so it is public and
  # checks their request signatures itself. Request-based billing: CPU only while serving.
  write_env_vars_file "$ENV_DIR/bot.yaml" false
  run gcloud run deploy "$BOT_SERVICE" "${common[@]}" \
    --env-vars-file="$ENV_DIR/bot.yaml" \
    --cpu-throttling --min-instances="$BOT_MIN_INSTANCES" --max-instances="$BOT_MAX_INSTANCES" \
    --ingress=all --allow-unauthenticated

  step "Deploying the worker ($WORKER_SERVICE)"
  # A service rather than a worker pool: same deploy command and probes as the bot, and /healthz
  # on PORT tells Cloud Run it is alive. Instance-based billing keeps CPU on between requests,
  # which a queue consumer needs; one instance is always up.
  write_env_vars_file "$ENV_DIR/worker.yaml" true
  run gcloud run deploy "$WORKER_SERVICE" "${common[@]}" \
    --env-vars-file="$ENV_DIR/worker.yaml" \
    --command=node --args="$WORKER_ENTRY" \
    --no-cpu-throttling --min-instances="$WORKER_MIN_INSTANCES" \
    --max-instances="$WORKER_MAX_INSTANCES" --ingress=internal --no-allow-unauthenticated
}

print_endpoints() {
  local url="https://<bot url>"
  print_command gcloud run services describe "$BOT_SERVICE" --project="$PROJECT_ID" \
    --region="$REGION" --format='value(status.url)'
  if [[ $DRY_RUN -eq 0 ]]; then
    url=$(gcloud run services describe "$BOT_SERVICE" --project="$PROJECT_ID" \
      --region="$REGION" --format='value(status.url)')
  fi
  step "Done. Paste these into the apps' settings:"
  echo "Slack   (Slash Commands, Interactivity, Select Menus): $url/slack/events"
  echo "Discord (General Information > Interactions Endpoint URL): $url/discord/interactions"
}

if [[ $DRY_RUN -eq 1 ]]; then
  echo "# dry run: nothing below is executed"
fi
check_gcloud
enable_apis
build_image
create_service_account
store_secrets
deploy_services
print_endpoints
