using System;
using System.Runtime.InteropServices;

// Every public name is usable from any .NET language (VB.NET add-ins too).
[assembly: CLSCompliant(true)]
[assembly: ComVisible(false)]
