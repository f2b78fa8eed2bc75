#!/bin/sh
# Entry point of every pod of the h200 training job (an Indexed Job, see h200-job-template.json).
# Pod 0 runs the Prefect flow run (the worker passes its command as the arguments); the `train`
# task there starts torchrun as node 0 and writes the trainer's arguments to the shared volume.
# Every other pod waits for those arguments and joins the same rendezvous as node $INDEX.
set -eu
INDEX="${JOB_COMPLETION_INDEX:-0}"
if [ "$INDEX" = "0" ]; then
    exec "$@"
fi
export PET_NODE_RANK="$INDEX"
HANDOFF="${FLOWGEN_TRAIN_HANDOFF_DIR:-/shared/handoff}/${PREFECT__FLOW_RUN_ID:?set by the Prefect worker}"
WAIT_S="${FLOWGEN_HANDOFF_TIMEOUT_S:-3600}"
while [ ! -f "$HANDOFF" ]; do
    WAIT_S=$((WAIT_S - 5))
    if [ "$WAIT_S" -le 0 ]; then
        echo "node $INDEX: no trainer arguments at $HANDOFF; node 0 never started training" >&2
        exit 1
    fi
    sleep 5
done
# shellcheck disable=SC2046  # the arguments are words written by tasks/train.py
exec python -m torch.distributed.run -m flowgen_core.training.trainer $(cat "$HANDOFF")
