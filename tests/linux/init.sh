#!/bin/busybox sh
# /init of the linux suite's guests.  The kernel command line's
# hvkit.run= says what to do: "crash" crashes the kernel on purpose,
# "work" counts to a number and powers off, anything else (or nothing)
# says it is ready and gives the console a shell, which the tests type a
# command into.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	hvkit.run=*) run=${arg#hvkit.run=} ;;
	esac
done
case "$run" in
crash)
	echo "hvkit-linux: crashing on purpose"
	echo c >/proc/sysrq-trigger
	;;
work)
	i=0
	while [ "$i" -lt 20000 ]; do i=$((i + 1)); done
	echo "hvkit-linux: counted to $i"
	poweroff -f
	;;
esac
echo "hvkit-linux: ready, $(nproc) CPUs"
exec sh
