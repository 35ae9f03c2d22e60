"""headrace.channel: DataSender and DataReceiver."""
