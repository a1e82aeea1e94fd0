// Clock 1.0.0: a tick every second while running; the runtime calls the onStop handler on Stop.
const timer = setInterval(() => scomo.log('tick', new Date().toISOString()), 1000);
scomo.onStop(() => {
	clearInterval(timer);
	scomo.log('clock 1.0.0 stopped');
});
scomo.log('clock 1.0.0 started');
