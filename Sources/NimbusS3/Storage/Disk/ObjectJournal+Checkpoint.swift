import Foundation

/// Checkpoints: making everything a journal file's records describe durable, so the file can be
/// reused. One `syncfs` commits all the object files, renames and unlinks at once; then a
/// checkpoint record in the active file tells recovery that earlier generations are dead.
extension ObjectJournal {
    /// Checkpoints the inactive file if it holds live records; with `includingActive`, also
    /// switches away from the active file when it has records and checkpoints that too, so that
    /// no record written before the call is live afterwards (CreateBucket, DeleteBucket).
    func checkpoint(includingActive: Bool) throws {
        checkpointLock.lock()
        defer { checkpointLock.unlock() }
        try checkpointInactive()
        guard includingActive else { return }
        condition.lock()
        let rotate = state.activeRecords > 0
        if rotate {
            do {
                try rotateLocked()
            } catch {
                condition.unlock()
                throw error
            }
        }
        condition.unlock()
        if rotate { try checkpointInactive() }
    }

    /// Under `checkpointLock`. Waits for the old generation's renames and unlinks to have happened,
    /// syncs the file system, then records and flushes the checkpoint.
    private func checkpointInactive() throws {
        condition.lock()
        guard state.inactiveIsLive else {
            condition.unlock()
            return
        }
        let old = state.generation - 1
        while state.unapplied[old, default: 0] > 0 { condition.wait() }
        condition.unlock()
        try POSIX.syncFileSystem(bucketsDescriptor, path: directory)
        try waitUntilDurable(try appendCheckpointRecord())
        condition.lock()
        state.inactiveIsLive = false
        condition.broadcast()
        condition.unlock()
    }

    /// The background checkpointer: a thread of its own (a checkpoint waits for `syncfs`), which
    /// ends once the journal is gone.
    func startCheckpointer() {
        let thread = Thread { [weak self] in
            while let journal = self, journal.checkpointIfDue() {}
        }
        thread.name = "nimbus-s3-journal"
        thread.start()
    }

    /// Waits up to half a second for a request, then checkpoints if the inactive file is live or
    /// the active one is half full or old enough. False when the journal is closed.
    private func checkpointIfDue() -> Bool {
        checkpointSignal.lock()
        if !checkpointWanted { _ = checkpointSignal.wait(until: Date(timeIntervalSinceNow: 0.5)) }
        let wanted = checkpointWanted
        checkpointWanted = false
        checkpointSignal.unlock()

        condition.lock()
        if state.isClosed {
            condition.unlock()
            return false
        }
        let activeDue =
            state.activeRecords > 0
            && (wanted || state.offset >= files[state.activeIndex].size / 2
                || ContinuousClock.now - state.activeSince >= Self.checkpointInterval)
        let due = state.inactiveIsLive || activeDue
        condition.unlock()
        if due {
            // A failure poisons the journal (writers see it); nothing more to do here.
            try? checkpoint(includingActive: activeDue)
        }
        return true
    }

    /// Stops the checkpointer (tests, shutdown); the files stay as they are.
    func close() {
        condition.lock()
        state.isClosed = true
        condition.unlock()
        requestCheckpoint()
    }
}
