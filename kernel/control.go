package kernel

import "github.com/turinglab/turinglab/display"

// interrupt stops the running cell: it cancels the context the session runs
// the cell with (interpreted code stops) and the display run that compiled
// code polls through display.CheckInterrupt (library loops stop).
func (k *Kernel) interrupt() {
	k.runMu.Lock()
	if k.runCancel != nil {
		k.runCancel()
	}
	k.runMu.Unlock()
	display.Interrupt()
}

// interruptRequest answers the control channel's interrupt_request (the
// kernelspec says interrupt_mode "message", so this is how the stop button
// arrives).
func (k *Kernel) interruptRequest(ch *channel, msg Message) {
	k.interrupt()
	k.reply(ch, msg, "interrupt_reply", InterruptReply{Status: "ok"})
}

// shutdown answers shutdown_request and ends the process. With restart=true
// the client starts a fresh kernel process right after, so both cases are the
// same here: reply, tell iopub listeners and stop the running cell; the
// request's idle status then ends the kernel (endRequest).
func (k *Kernel) shutdown(ch *channel, msg Message) {
	var req ShutdownRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
	}
	reply := ShutdownReply{Status: "ok", Restart: req.Restart}
	k.reply(ch, msg, "shutdown_reply", reply)
	k.publish("shutdown_reply", msg.Header, reply)
	k.interrupt()
}

// commInfo answers comm_info_request: the kernel opens no comms.
func (k *Kernel) commInfo(ch *channel, msg Message) {
	k.reply(ch, msg, "comm_info_reply", CommInfoReply{Status: "ok", Comms: map[string]any{}})
}
