// Clock 1.1.0: as 1.0.0, and the tick carries the date too.
const timer = setInterval(() => scomo.log('tick', new Date().toString()), 1000);
scomo.onStop(() => {
	clearInterval(timer);
	scomo.log('clock 1.1.0 stopped');
});
scomo.log('clock 1.1.0 started');
