#!/bin/sh
# Sends a bounded mix of requests to the demo app on localhost: orders placed and paid, a few lookups, a 404 and a
# payment that fails with 500. Usage: demo-app/scripts/traffic.sh [ROUNDS] [PORT]
set -eu
rounds=${1:-20}
port=${2:-8080}
base="http://localhost:$port"
i=0
while [ "$i" -lt "$rounds" ]; do
	i=$((i + 1))
	id=$(curl -sf -X POST "$base/orders" -H 'Content-Type: application/json' \
		-d "{\"customer\":\"customer-$((i % 5))\",\"lines\":[{\"sku\":\"tea\",\"quantity\":$((i % 3 + 1)),\"unitPriceCents\":450}]}" \
		| sed 's/^{"id":\([0-9]*\).*/\1/')
	curl -sf -o /dev/null -X POST "$base/orders/$id/payment"
	curl -sf -o /dev/null "$base/orders/$id"
	curl -s -o /dev/null "$base/orders/999999"
	if [ $((i % 5)) -eq 0 ]; then
		big=$(curl -sf -X POST "$base/orders" -H 'Content-Type: application/json' \
			-d '{"customer":"big-spender","lines":[{"sku":"piano","quantity":1,"unitPriceCents":250000}]}' \
			| sed 's/^{"id":\([0-9]*\).*/\1/')
		curl -s -o /dev/null -X POST "$base/orders/$big/payment"
	fi
done
echo "sent $rounds rounds of requests to $base"
