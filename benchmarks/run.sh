#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md on this machine and prints its table.
#
#   benchmarks/run.sh
#   benchmarks/run.sh sampled    row 5's execution samples alone, with the jars already built
#
# Debian 12, as root: it installs what is missing (JDK, Maven, C compilers, bpftrace, sys/sdt.h, wrk, curl), builds
# the project, then measures, each figure against a baseline taken in the same run:
#   rows 1, 3, 4, 6  JMH (benchmarks.jar; forks, warm-up and iterations are set on each benchmark class); row 1
#                    again on Java 25 ($JAVA25_HOME, by default Temurin's Debian package path) when there is one
#   row 3a           JMH too, beside row 3: its forks add and remove probes with dtrace-agent.jar's attach command,
#                    run against their own pid
#   row 2            a traced fire from Java and from C (sys/sdt.h inline and in a called function, and through the
#                    native core), under one bpftrace program, and the Java and native-core loops again with their
#                    semaphore set by hand and no uprobe; row 2v the Java loop on Java 25, on a platform thread and on
#                    a virtual thread
#   row 5            CPU time per request of the demo app under wrk on localhost, six configurations side by side
#                    (app and wrk on different cores); then, untraced, the share of the demo's JFR execution samples
#                    in this project's code, with Micrometer Tracing and without
#   row 7            resident memory of a JVM firing 10 million traced and 10 million untraced probes
# About 28 minutes on 2 cores once Maven's dependencies are downloaded (10 of them row 5's samples); other work on the
# machine shows in every figure, so run it on a quiet one. Results and logs: benchmarks/target/results/ (summary.md is
# what it prints).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
results=$root/benchmarks/target/results
jar=$root/benchmarks/target/benchmarks.jar
demo_jar=$root/demo-app/target/demo-app.jar
measured=$results/measured.properties
export LC_ALL=C.UTF-8
# The provider objects of this run's processes go to a directory of their own (Java and C honour it), away from what
# other processes on the machine create, and remove as stale, in the shared default under /tmp.
export DTRACE_PROVIDER_DIR=$results/objects

# Traced fires (row 2): rounds of FIRES fires after WARMUP fires, the median round counts; the same for Java and C.
fire_loop_args=(200000 15 300000)
# Resident memory (row 7): fires of each probe, and the warm-up before the first sample.
rss_fires=10000000
rss_warmup=2000000
# HTTP (row 5): one wrk run per configuration in each of ten rounds, after four warm-up rounds.
wrk_args=(-t2 -c16)
wrk_seconds=5
wrk_warmup_rounds=4
wrk_rounds=10
app_jvm_flags=(-Xms256m -Xmx256m)
# The demo logs each order it looks up; row 5 measures what the probes add to a request, not a log line's cost.
app_args=(--logging.level.io.github.dtraceprovider.demo=warn)
# HTTP sampled (row 5, untraced): JFR's execution samples of the demo app under wrk, at least SAMPLES of them,
# recorded in wrk runs of SECONDS each, once a warm-up run of as long finds the JIT compilers below QUIET_PERCENT
# of the app's CPU time.
sampled_min_samples=20000
sampled_wrk_seconds=20
sampled_jit_quiet_percent=1

started=()
cleanup() {
	for pid in "${started[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap cleanup EXIT

log() {
	echo "run.sh: $*" >&2
}

install_missing_packages() {
	# The build's (the native library is built for x86-64 and aarch64), then the measurements'.
	local wanted=(openjdk-17-jdk-headless maven gcc make gcc-aarch64-linux-gnu libc6-dev-arm64-cross
		bpftrace systemtap-sdt-dev wrk curl util-linux) missing=() package
	for package in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}

# Waits until FILE has a line matching PATTERN, or fails after SECONDS; gives up early if PID has exited.
wait_for_line() {
	local file=$1 pattern=$2 seconds=$3 pid=$4 i
	for ((i = 0; i < seconds * 10; i++)); do
		grep -q "$pattern" "$file" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	log "no line matching '$pattern' in $file:"
	cat "$file" >&2
	return 1
}

# The demo apps run on one CPU and wrk and bpftrace on another, so that the client's work is not counted in the app's
# CPU time (taskset execs the command: $! stays the command's pid). On a single CPU they share it.
if [ "$(nproc)" -ge 2 ]; then
	app_cpu=(taskset -c 1)
	client_cpu=(taskset -c 0)
else
	app_cpu=()
	client_cpu=()
fi

# Attaches bpftrace with PROGRAM to PID, logging to FILE; returns once its probes are attached. Sets bpftrace_pid.
attach_bpftrace() {
	local pid=$1 program=$2 file=$3
	: >"$file"
	"${client_cpu[@]}" bpftrace -p "$pid" -e "$program" >>"$file" 2>&1 &
	bpftrace_pid=$!
	started+=("$bpftrace_pid")
	wait_for_line "$file" '^Attaching' 30 "$bpftrace_pid"
}

# Stops bpftrace; it then prints its maps.
detach_bpftrace() {
	kill -INT "$bpftrace_pid"
	wait "$bpftrace_pid" || true
}

# The value of bpftrace's map NAME in FILE, once bpftrace is detached.
bpftrace_map() {
	sed -n "s/^@$1: //p" "$2"
}

# Starts a fire loop (row 2) with ARGS, logging to NAME.log, and returns once it waits for a tracer. Sets fire_loop_pid.
start_fire_loop() {
	local output=$results/$1.log
	shift
	: >"$output" # here, not in the background: wait_for_line must never see an older run's output
	"$@" "${fire_loop_args[@]}" >>"$output" 2>&1 &
	fire_loop_pid=$!
	started+=("$fire_loop_pid")
	wait_for_line "$output" 'waiting for a tracer' 60 "$fire_loop_pid"
}

# Waits for the fire loop that logs to NAME.log to end; sets ns_per_fire.
finish_fire_loop() {
	local output=$results/$1.log
	wait "$fire_loop_pid" || { cat "$output" >&2; return 1; }
	ns_per_fire=$(sed -n 's/^ns_per_fire //p' "$output")
}

# Runs a fire loop (row 2) under the bpftrace program that counts bench:fire; sets ns_per_fire. NAME names the logs.
measure_traced_fires() {
	local name=$1
	start_fire_loop "$@"
	attach_bpftrace "$fire_loop_pid" 'usdt::bench:fire { @fires = count(); }' "$results/$name.bpftrace.log"
	finish_fire_loop "$name"
	local counted timed=$((fire_loop_args[0] * fire_loop_args[1]))
	detach_bpftrace
	counted=$(bpftrace_map fires "$results/$name.bpftrace.log")
	# Fires before the uprobe went live fall into the warm-up; every timed fire must have reached bpftrace.
	if [ "${counted:-0}" -lt "$timed" ]; then
		log "$name: bpftrace counted ${counted:-0} fires, fewer than the $timed timed ones"
		return 1
	fi
}

# Sets every semaphore of PROVIDER's generated object in process PID to 1 through /proc/PID/mem, as attaching a
# tracer does, but with no uprobe behind them: the traced path then runs without the kernel's part of a fire.
set_semaphores() {
	local pid=$1 provider=$2 range semaphore
	range=$(awk -v name="/$provider." 'index($6, name) && $3 == "00000000" { print $1; exit }' "/proc/$pid/maps")
	[ -n "$range" ] || { log "no object of provider $provider in process $pid"; return 1; }
	# The object is linked at address 0, so a semaphore's address in the note is its offset from the first mapping.
	for semaphore in $(readelf -n "/proc/$pid/map_files/$range" | sed -n 's/.*Semaphore: 0x\([0-9a-f]*\).*/\1/p'); do
		printf '\001\000' | dd of="/proc/$pid/mem" bs=1 seek=$((16#${range%%-*} + 16#$semaphore)) conv=notrunc \
			status=none
	done
}

# Runs a fire loop (row 2) with its semaphore set by hand and no tracer; sets ns_per_fire. NAME names the log.
measure_untrapped_fires() {
	start_fire_loop "$@"
	set_semaphores "$fire_loop_pid" bench
	finish_fire_loop "$1"
}

# The Java fire loops get a fixed, pre-touched heap: while a heap still grows, its first touches of new memory are
# timed as fires (the loop without a uprobe measured about 1000 ns per fire with the default heap, 100 with this).
fire_loop_heap=(-Xms256m -Xmx256m -XX:+AlwaysPreTouch)

# Runs the fire loop that KEY measures with ARGS, as this process (run it in the background: $! is then its pid).
fire_loop() {
	local key=$1 bin=$results/bin
	shift
	case $key in
	traced_fire_c_ns) exec "$bin/fire_loop_sdt" "$@" ;;
	traced_fire_c_called_ns) exec "$bin/fire_loop_sdt_called" "$@" ;;
	traced_fire_c_then_call_ns) exec "$bin/fire_loop_sdt_then_call" "$@" ;;
	traced_fire_native_core_ns | untrapped_fire_native_core_ns) exec "$bin/fire_loop_native_core" "$@" ;;
	traced_fire_java_ns | untrapped_fire_java_ns)
		exec java "${fire_loop_heap[@]}" -cp "$jar" io.github.dtraceprovider.benchmarks.TracedFireLoop "$@"
		;;
	traced_fire_java25_platform_ns | traced_fire_java25_virtual_ns)
		local thread=()
		[ "$key" = traced_fire_java25_virtual_ns ] && thread=(virtual)
		exec "$java25_home/bin/java" "${fire_loop_heap[@]}" --enable-native-access=ALL-UNNAMED -cp "$jar" \
			io.github.dtraceprovider.benchmarks.TracedFireLoop "$@" "${thread[@]}"
		;;
	esac
}

# Keeps the lower of ns_per_fire and what lowest[KEY] holds (lowest is the caller's).
keep_lowest() {
	lowest[$1]=$(awk -v a="$ns_per_fire" -v b="${lowest[$1]:-$ns_per_fire}" 'BEGIN { print (a < b) ? a : b }')
}

measure_traced_fire_row() {
	log "row 2: traced fires, Java and C under the same bpftrace program"
	local bin=$results/bin native=$root/native
	mkdir -p "$bin"
	cc -O2 -std=c11 -Wall -Wextra -Werror -o "$bin/fire_loop_sdt" "$root/benchmarks/src/main/c/fire_loop.c"
	cc -O2 -std=c11 -Wall -Wextra -Werror -DIN_CALLED_FUNCTION -o "$bin/fire_loop_sdt_called" \
		"$root/benchmarks/src/main/c/fire_loop.c"
	cc -O2 -std=c11 -Wall -Wextra -Werror -DTHEN_A_CALL -o "$bin/fire_loop_sdt_then_call" \
		"$root/benchmarks/src/main/c/fire_loop.c"
	cc -O2 -std=c11 -Wall -Wextra -Werror -DVIA_NATIVE_CORE -I"$native/include" \
		-o "$bin/fire_loop_native_core" "$root/benchmarks/src/main/c/fire_loop.c" \
		-L"$native/target/classes/linux-x86-64" -ldtraceprovider -Wl,-rpath,"$native/target/classes/linux-x86-64"
	declare -A lowest=()
	# Twice in turn; other work on the machine can only slow a loop down, so the lower figure of each is kept.
	local pass key keys=(traced_fire_c_ns traced_fire_c_then_call_ns traced_fire_c_called_ns traced_fire_native_core_ns
		traced_fire_java_ns)
	# Row 2v: the Java loop on a platform thread and on a virtual thread, on Java 25.
	[ ${#jmh_java25[@]} -eq 0 ] || keys+=(traced_fire_java25_platform_ns traced_fire_java25_virtual_ns)
	# What the same fires cost without the kernel's part: the Java side's own work, against C's.
	local untrapped=(untrapped_fire_native_core_ns untrapped_fire_java_ns)
	for pass in 1 2; do
		for key in "${keys[@]}"; do
			measure_traced_fires "$key-$pass" fire_loop "$key"
			keep_lowest "$key"
		done
		for key in "${untrapped[@]}"; do
			measure_untrapped_fires "$key-$pass" fire_loop "$key"
			keep_lowest "$key"
		done
	done
	for key in "${!lowest[@]}"; do
		echo "$key=${lowest[$key]}" >>"$measured"
	done
}

measure_resident_memory_row() {
	log "row 7: resident memory while firing $rss_fires traced and $rss_fires untraced probes"
	local output=$results/resident-memory.log
	# A fixed, pre-touched heap is resident from the start: what can still grow is native memory.
	: >"$output"
	java -Xms64m -Xmx64m -XX:+AlwaysPreTouch -cp "$jar" io.github.dtraceprovider.benchmarks.ResidentMemoryCheck \
		"$rss_fires" "$rss_warmup" >>"$output" 2>&1 &
	local pid=$!
	started+=("$pid")
	wait_for_line "$output" 'waiting for a tracer' 60 "$pid"
	attach_bpftrace "$pid" 'usdt::bench_rss:traced { @fires = count(); }' "$results/resident-memory.bpftrace.log"
	wait "$pid" || { cat "$output" >&2; return 1; }
	local counted
	detach_bpftrace
	counted=$(bpftrace_map fires "$results/resident-memory.bpftrace.log")
	if [ "${counted:-0}" -lt "$rss_fires" ] || ! grep -q '^failures 0$' "$output"; then
		log "row 7: bpftrace counted ${counted:-0} fires (want at least $rss_fires), or fires failed:"
		cat "$output" >&2
		return 1
	fi
	{
		echo "rss_fires=$rss_fires"
		sed -n 's/^\(rss_\(warm\|end\|max\)_kib\) /\1=/p' "$output"
	} >>"$measured"
}

# The first port from $1 on that nothing on localhost listens to.
free_port() {
	local port=$1
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		port=$((port + 1))
	done
	echo "$port"
}

# Starts the demo app's JAR on PORT with extra ARGS, logging to FILE, and waits until it answers. Sets app_pid.
start_demo_app() {
	local jar=$1 port=$2 file=$3 i
	shift 3
	"${app_cpu[@]}" java "${app_jvm_flags[@]}" -jar "$jar" --server.port="$port" --server.address=127.0.0.1 \
		"${app_args[@]}" "$@" >"$file" 2>&1 &
	app_pid=$!
	started+=("$app_pid")
	for ((i = 0; i < 600; i++)); do
		curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health" && return 0
		kill -0 "$app_pid" 2>/dev/null || break
		sleep 0.2
	done
	log "the demo app on port $port did not start:"
	cat "$file" >&2
	return 1
}

# User plus system CPU time of process PID so far, in clock ticks, its exited threads included.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
clock_ticks=$(getconf CLK_TCK)

# CPU time of process PID's JIT compiler threads so far, in clock ticks (those that exited are not counted).
jit_ticks() {
	local task total=0
	for task in /proc/"$1"/task/*; do
		case $(cat "$task/comm" 2>/dev/null) in
		C[12]\ CompilerThre*) total=$((total + $(sed 's/^.*) //' "$task/stat" | awk '{ print $12 + $13 }'))) ;;
		esac
	done
	echo "$total"
}

# Places an order with the demo app on PORT and prints the URL that reads it back: GET /orders/{id} neither grows the
# store nor changes with the run's length.
order_url() {
	local id
	id=$(curl -sf -X POST "http://127.0.0.1:$1/orders" -H 'Content-Type: application/json' \
		-d '{"customer":"bench","lines":[{"sku":"tea","quantity":2,"unitPriceCents":450}]}' |
		sed 's/^{"id":\([0-9]*\).*/\1/')
	echo "http://127.0.0.1:$1/orders/$id"
}

# One wrk run of SECONDS against URL served by PID; prints "REQUESTS_PER_SECOND CPU_MICROSECONDS_PER_REQUEST".
# Every response must be a success.
wrk_run() {
	local url=$1 seconds=$2 pid=$3 output before after requests
	before=$(cpu_ticks "$pid")
	output=$("${client_cpu[@]}" wrk "${wrk_args[@]}" -d"${seconds}s" "$url")
	after=$(cpu_ticks "$pid")
	echo "$output" >>"$results/wrk.log"
	if echo "$output" | grep -q -e 'Non-2xx' -e 'Socket errors'; then
		log "wrk reported errors against $url:"
		echo "$output" >&2
		return 1
	fi
	requests=$(echo "$output" | sed -n 's/^ *\([0-9]*\) requests in .*/\1/p')
	echo "$(echo "$output" | sed -n 's/^Requests\/sec: *//p')" \
		"$(awk -v t=$((after - before)) -v hz="$clock_ticks" -v n="$requests" 'BEGIN { print t * 1e6 / hz / n }')"
}

# The lowest and the highest of the numbers on standard input, as "LOW–HIGH" with two decimals.
range() {
	tr ' ' '\n' | sort -g | awk 'NR == 1 { low = $1 } END { printf "%.2f–%.2f\n", low, $1 }'
}

# The median of the numbers on standard input.
median() {
	tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure_http_row() {
	log "row 5: CPU per request of the demo app (dtrace.enabled=false, untraced, traced; platform and virtual" \
		"threads): wrk ${wrk_args[*]} -d${wrk_seconds}s, $wrk_rounds rounds after $wrk_warmup_rounds"
	local configs=(disabled untraced traced disabled_vt untraced_vt traced_vt) port=18080 config
	declare -A ports pids urls rps cpu tracers
	: >"$results/wrk.log"
	for config in "${configs[@]}"; do
		port=$(free_port "$port")
		ports[$config]=$port
		local args=()
		case $config in disabled*) args+=(--dtrace.enabled=false) ;; esac
		case $config in *_vt) args+=(--spring.threads.virtual.enabled=true) ;; esac
		start_demo_app "$demo_jar" "$port" "$results/demo-$config.log" "${args[@]}"
		pids[$config]=$app_pid
		port=$((port + 1))
	done
	for config in "${configs[@]}"; do
		urls[$config]=$(order_url "${ports[$config]}")
	done
	local i
	for config in traced traced_vt; do
		attach_bpftrace "${pids[$config]}" \
			'usdt::orders:http__request__start { @start = count(); } usdt::orders:http__request__done { @done = count(); }' \
			"$results/http-$config.bpftrace.log"
		tracers[$config]=$bpftrace_pid
		for ((i = 0; i < 100; i++)); do
			curl -sf "http://127.0.0.1:${ports[$config]}/actuator/dtrace/http-request-done" |
				grep -q '"traced":true' && break
			sleep 0.1
		done
	done
	# The apps take turns for a fixed number of rounds, each round starting with the next configuration, so that
	# drift on a noisy machine and the position in a round weigh on all alike. The warm-up lets the JIT compile the
	# request path (the traced path compiles last; a stopping rule such as "two runs agree" stops on a plateau). Each
	# measured round gives, per thread kind, the ratio of untraced to disabled CPU per request and the difference of
	# traced over untraced; the medians of those are the figures.
	local round index n=${#configs[@]} sample kind
	# Per kind of request thread, the suffix of its configurations and properties.
	declare -A ratios differences suffix=([platform]="" [virtual]=_vt)
	for ((round = 0; round < wrk_warmup_rounds + wrk_rounds; round++)); do
		declare -A this_round=()
		for ((index = 0; index < n; index++)); do
			config=${configs[$(((round + index) % n))]}
			sample=$(wrk_run "${urls[$config]}" "$wrk_seconds" "${pids[$config]}")
			this_round[$config]=${sample#* }
			if [ "$round" -ge "$wrk_warmup_rounds" ]; then
				rps[$config]="${rps[$config]:-} ${sample% *}"
				cpu[$config]="${cpu[$config]:-} ${sample#* }"
			fi
		done
		[ "$round" -ge "$wrk_warmup_rounds" ] || continue
		for kind in platform virtual; do
			ratios[$kind]="${ratios[$kind]:-} $(awk -v a="${this_round[untraced${suffix[$kind]}]}" \
				-v b="${this_round[disabled${suffix[$kind]}]}" 'BEGIN { print a / b }')"
			differences[$kind]="${differences[$kind]:-} $(awk -v a="${this_round[traced${suffix[$kind]}]}" \
				-v b="${this_round[untraced${suffix[$kind]}]}" 'BEGIN { print a - b }')"
		done
	done
	for config in traced traced_vt; do
		bpftrace_pid=${tracers[$config]}
		detach_bpftrace
		local done_fires served
		done_fires=$(bpftrace_map done "$results/http-$config.bpftrace.log")
		served=$(curl -sf "http://127.0.0.1:${ports[$config]}/actuator/dtrace/http-request-done" |
			sed -n 's/.*"fireCount":\([0-9]*\).*/\1/p')
		if [ "${done_fires:-0}" -lt 1000 ] || [ "${served:-0}" -lt "${done_fires:-0}" ]; then
			log "row 5: bpftrace counted ${done_fires:-0} http-request-done fires of $config; the app reports" \
				"${served:-0}"
			return 1
		fi
	done
	for config in "${configs[@]}"; do
		echo "http_${config}_rps=$(echo ${rps[$config]} | median)" >>"$measured"
		echo "http_${config}_cpu_us=$(echo ${cpu[$config]} | median)" >>"$measured"
		kill "${pids[$config]}"
	done
	for kind in platform virtual; do
		{
			echo "http${suffix[$kind]}_untraced_cpu_ratio=$(echo ${ratios[$kind]} | median)"
			echo "http${suffix[$kind]}_untraced_cpu_ratio_range=$(echo ${ratios[$kind]} | range)"
			echo "http${suffix[$kind]}_traced_cpu_us_over_untraced=$(echo ${differences[$kind]} | median)"
			echo "http${suffix[$kind]}_traced_cpu_us_over_untraced_range=$(echo ${differences[$kind]} | range)"
		} >>"$measured"
	done
	{
		echo "http_request=GET /orders/{id}"
		echo "http_wrk=${wrk_args[*]} -d${wrk_seconds}s, $wrk_rounds rounds after $wrk_warmup_rounds warm-up rounds"
		echo "http_pinned=$([ ${#app_cpu[@]} -gt 0 ] && echo yes || echo no)"
	} >>"$measured"
	wait "${pids[@]}" 2>/dev/null || true
}

# The demo's boot jar extracted to DIR, less what spring-boot-starter-opentelemetry alone brings to it (as
# `mvn dependency:tree -pl demo-app` shows): the demo without tracing, started with DIR/demo-app.jar. The JVM skips
# the manifest's Class-Path entries whose jar is missing.
demo_without_tracing() {
	local dir=$1
	rm -rf "$dir"
	java -Djarmode=tools -jar "$demo_jar" extract --destination "$dir" >/dev/null
	(cd "$dir/lib" && rm -f opentelemetry-*.jar micrometer-tracing-*.jar micrometer-registry-otlp-*.jar \
		spring-boot-micrometer-tracing-*.jar spring-boot-opentelemetry-*.jar context-propagation-*.jar \
		protobuf-java-*.jar okhttp-*.jar okio-*.jar kotlin-stdlib-*.jar annotations-13.*.jar)
}

# Row 5, untraced, by sampling. Each variant, the demo as built (Micrometer Tracing over OpenTelemetry) and without
# tracing, serves wrk alone after a warm-up, while JFR takes execution samples every millisecond, until it holds at
# least sampled_min_samples after the warm-up. ExecutionSampleShares then counts the samples whose innermost frame
# outside the JDK is this project's, and the @Traced interceptor's dispatch apart. All threads of the app count: under
# a saturating load they are nearly all the requests'. A share of one process's samples does not depend on how fast
# the machine ran meanwhile, which a CPU time compared across JVMs does.
measure_sampled_http_row() {
	log "row 5: JFR execution samples of the demo app under wrk ${wrk_args[*]}, with and without tracing," \
		"at least $sampled_min_samples each"
	local variant app_jar port=18100 url recording output samples runs before_jit before_app from
	local jfc=$root/benchmarks/src/main/jfr/execution-samples.jfc without=$results/demo-without-tracing
	demo_without_tracing "$without"
	for variant in tracing no_tracing; do
		app_jar=$demo_jar
		[ "$variant" = tracing ] || app_jar=$without/demo-app.jar
		port=$(free_port "$port")
		# Recording from the start: a recording started later made the JIT compile anew for minutes, with this
		# project's samples several times as many meanwhile (in runs on a busy machine).
		JDK_JAVA_OPTIONS="-XX:StartFlightRecording=name=row5,settings=$jfc" \
			start_demo_app "$app_jar" "$port" "$results/demo-sampled-$variant.log"
		url=$(order_url "$port")
		# Until the JIT is done: the request path of an app that shares its CPU with the JIT under a saturating load
		# takes minutes to compile on a busy machine, and until then interpreted probe checks are sampled as this
		# project's (about 1.5% of the samples, against a few hundredths once compiled, in a run on a busy machine).
		runs=0
		while :; do
			before_jit=$(jit_ticks "$app_pid")
			before_app=$(cpu_ticks "$app_pid")
			wrk_run "$url" "$sampled_wrk_seconds" "$app_pid" >/dev/null
			runs=$((runs + 1))
			awk -v jit=$(($(jit_ticks "$app_pid") - before_jit)) -v app=$(($(cpu_ticks "$app_pid") - before_app)) \
				-v quiet="$sampled_jit_quiet_percent" 'BEGIN { exit !(100 * jit < quiet * app) }' && break
			if [ "$runs" -ge 30 ]; then
				log "row 5: the JIT of the demo app ($variant) still compiles after $runs warm-up runs"
				return 1
			fi
		done
		echo "http_sampled_${variant}_warmup_seconds=$((runs * sampled_wrk_seconds))" >>"$measured"
		recording=$results/sampled-$variant.jfr
		output=$results/sampled-$variant.txt
		from=$(date +%s%3N)
		samples=0
		runs=0
		while [ "$samples" -lt "$sampled_min_samples" ]; do
			if [ "$runs" -ge 20 ]; then
				log "row 5: $samples samples of $variant after $runs wrk runs, fewer than $sampled_min_samples"
				return 1
			fi
			wrk_run "$url" "$sampled_wrk_seconds" "$app_pid" >/dev/null
			runs=$((runs + 1))
			jcmd "$app_pid" JFR.dump name=row5 filename="$recording" >/dev/null
			"${client_cpu[@]}" java -cp "$jar" io.github.dtraceprovider.benchmarks.ExecutionSampleShares \
				"$recording" "$from" >"$output"
			samples=$(sed -n 's/^samples //p' "$output")
		done
		kill "$app_pid"
		wait "$app_pid" 2>/dev/null || true
		sed -n "s/^\(samples\|project_samples\|dispatch_samples\) /http_sampled_${variant}_\1=/p" "$output" \
			>>"$measured"
		port=$((port + 1))
	done
	echo "http_sampled_wrk=${wrk_args[*]}, ${sampled_wrk_seconds}-second runs once the JIT is below" \
		"${sampled_jit_quiet_percent}% of the app's CPU" >>"$measured"
}

# `benchmarks/run.sh sampled`: row 5's sampled figures alone, printed as they go to ResultsTable, with the jars of an
# earlier build (`mvn package` makes them); it needs neither root nor bpftrace.
if [ "${1:-}" = sampled ]; then
	measured=$results/measured-sampled.properties
	mkdir -p "$DTRACE_PROVIDER_DIR"
	: >"$measured"
	: >"$results/wrk.log"
	measure_sampled_http_row
	cat "$measured"
	exit
fi
[ "$(id -u)" -eq 0 ] || { log "run as root: bpftrace needs it"; exit 1; }
start=$(date +%s)
# Other work on the machine shows in every figure: the load average goes into the summary.
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
install_missing_packages
log "building"
(cd "$root" && mvn -B -q install -DskipTests)
rm -rf "$results"
mkdir -p "$DTRACE_PROVIDER_DIR"
: >"$measured"

log "rows 1, 3, 3a, 4, 6: JMH (output in $results/jmh.log)"
java -jar "$jar" 'UntracedProbeBenchmark|TracedMethodBenchmark|AddedMethodProbeBenchmark' \
	'MeterRegistryBenchmark|ProviderEnableBenchmark' -foe true -rf csv -rff "$results/jmh.csv" >"$results/jmh.log" 2>&1 ||
	{ tail -50 "$results/jmh.log" >&2; exit 1; }
# Row 1 again on Java 25, which its target names; left out where the machine has no Java 25.
java25_home=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jmh_java25=()
if [ -x "$java25_home/bin/java" ]; then
	log "row 1 on Java 25: JMH (output in $results/jmh-java25.log)"
	"$java25_home/bin/java" -jar "$jar" UntracedProbeBenchmark -foe true -rf csv -rff "$results/jmh-java25.csv" \
		>"$results/jmh-java25.log" 2>&1 || { tail -50 "$results/jmh-java25.log" >&2; exit 1; }
	jmh_java25=("$results/jmh-java25.csv")
else
	log "no Java 25 at $java25_home (set JAVA25_HOME): row 1 on Java 25 is left out"
fi
measure_traced_fire_row
measure_http_row
measure_sampled_http_row
measure_resident_memory_row

java -cp "$jar" io.github.dtraceprovider.benchmarks.ResultsTable "$results/jmh.csv" "$measured" "${jmh_java25[@]}" \
	>"$results/table.md"
{
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
		"$(java -version 2>&1 | head -1), Linux $(uname -r). Run time: $(($(date +%s) - start)) s." \
		"Load average (1, 5, 15 min) at the start: $load_at_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo
	cat "$results/table.md"
} | tee "$results/summary.md"
