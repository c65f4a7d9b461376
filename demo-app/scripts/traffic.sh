#!/bin/sh
# Sends a mix of requests to the demo app on localhost: orders placed and paid, a few lookups, a 404, and every fifth
# round a payment that fails with 500.
# Usage: demo-app/scripts/traffic.sh [ROUNDS] [PORT]             ROUNDS rounds (default 20: a few seconds)
#        demo-app/scripts/traffic.sh --duration SECONDS [PORT]   rounds until SECONDS have passed (0: until stopped)
# Several tracing commands one after another each need traffic while attached: run it for a duration, in the
# background.
set -eu
usage() {
	echo "usage: $0 [ROUNDS] [PORT]  or  $0 --duration SECONDS [PORT]" >&2
	exit 2
}
number() {
	case $1 in '' | *[!0-9]*) usage ;; esac
	echo "$1"
}
rounds=20 end=
if [ "${1:-}" = --duration ]; then
	[ $# -ge 2 ] || usage
	seconds=$(number "$2")
	shift 2
	rounds=
	if [ "$seconds" -gt 0 ]; then end=$(($(date +%s) + seconds)); fi
elif [ $# -ge 1 ]; then
	rounds=$(number "$1")
	shift
fi
port=$(number "${1:-8080}")
base="http://localhost:$port"
# --max-time: a request to a stuck service cannot keep the loop running long past its duration
curl="curl -s --max-time 5"
more() {
	if [ -n "$rounds" ]; then
		[ "$i" -lt "$rounds" ]
	elif [ -n "$end" ]; then
		[ "$(date +%s)" -le "$end" ]
	fi
}
i=0
while more; do
	i=$((i + 1))
	id=$($curl -f -X POST "$base/orders" -H 'Content-Type: application/json' \
		-d "{\"customer\":\"customer-$((i % 5))\",\"lines\":[{\"sku\":\"tea\",\"quantity\":$((i % 3 + 1)),\"unitPriceCents\":450}]}" \
		| sed 's/^{"id":\([0-9]*\).*/\1/')
	$curl -f -o /dev/null -X POST "$base/orders/$id/payment"
	$curl -f -o /dev/null "$base/orders/$id"
	$curl -o /dev/null "$base/orders/999999"
	if [ $((i % 5)) -eq 0 ]; then
		big=$($curl -f -X POST "$base/orders" -H 'Content-Type: application/json' \
			-d '{"customer":"big-spender","lines":[{"sku":"piano","quantity":1,"unitPriceCents":250000}]}' \
			| sed 's/^{"id":\([0-9]*\).*/\1/')
		$curl -o /dev/null -X POST "$base/orders/$big/payment"
	fi
done
echo "sent $i rounds of requests to $base"
